# Before the due date. *text* is bold in WhatsApp.
code: preventive_reminder
channel: whatsapp
language: en
requires: not_due

Hi {debtor.first_name}, this is {creditor.name}.

A friendly reminder that the payment of *{account.due_amount}* on your account {account.reference} is due on *{account.due_date}*.

You can pay online here: {pay_link}

If you have already paid, thank you. To stop receiving messages here, reply STOP.
