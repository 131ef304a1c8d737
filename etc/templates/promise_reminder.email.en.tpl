# A few days before the date of a promise to pay (a ladder's
# promise_reminder step, docs/strategies.md).
code: promise_reminder
channel: email
language: en
requires: promise_pending
subject: Reminder: your payment arrangement for {promise.date}

Dear {debtor.name},

This is a friendly reminder of the payment arrangement on your {creditor.name} account {account.reference}: {promise.amount} by {promise.date}.

You can pay by any of the usual {creditor.name} payment methods, or online at:
{pay_link}

If you need to change the date, please reply to this email. If you have already paid, thank you, and please disregard this message.

Sincerely,
{creditor.name}

To stop receiving these emails, reply to this message with the word STOP.
