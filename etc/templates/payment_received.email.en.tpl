# Thanks for a payment.
code: payment_received
channel: email
language: en
requires: payment
subject: We have received your payment

Dear {debtor.name},

We confirm that we received your payment of {payment.amount} on {payment.date} for your {creditor.name} account {account.reference}. Thank you!

The balance of your account is now {account.balance}.

Sincerely,
{creditor.name}

To stop receiving these emails, reply to this message with the word STOP.
