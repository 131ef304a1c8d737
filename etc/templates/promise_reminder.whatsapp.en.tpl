# A few days before the date of a promise to pay (a ladder's
# promise_reminder step, docs/strategies.md). *text* is bold in WhatsApp.
code: promise_reminder
channel: whatsapp
language: en
requires: promise_pending

Hi {debtor.first_name}, this is {creditor.name}.

A reminder of your payment arrangement on account {account.reference}: *{promise.amount}* by *{promise.date}*.

You can pay online here: {pay_link}

If you need to change the date, reply to this message. If you have already paid, thank you. To stop receiving messages here, reply STOP.
