# When the promised payment did not arrive.
code: broken_promise
channel: email
language: en
requires: promise_broken
subject: We have not received your arranged payment

Dear {debtor.name},

As of today we have not received the payment of {promise.amount} that we arranged for {promise.date} on your {creditor.name} account {account.reference}.

If you have already paid, thank you: payments can take a few days to show, and you may disregard this message.

If not, you can pay online at:
{pay_link}

If you need to arrange a new date, please reply to this email and we will be glad to help.

Sincerely,
{creditor.name}

To stop receiving these emails, reply to this message with the word STOP.
