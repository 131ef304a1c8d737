# Sent by the collector who took the promise: it is signed with their name.
code: promise_confirmation
channel: email
language: en
requires: promise_pending
subject: Confirmation of your payment arrangement

Dear {debtor.name},

Thank you for your time. This confirms the payment we arranged for your {creditor.name} account {account.reference}:

    Amount: {promise.amount}
    Date:   {promise.date}

You can pay online at:
{pay_link}

If you need to change the date or have any questions, please reply to this email.

Sincerely,
{agent.name}
{creditor.name}

To stop receiving these emails, reply to this message with the word STOP.
