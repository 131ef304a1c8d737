# Thanks for a payment.
code: payment_received
channel: whatsapp
language: en
requires: payment

Hi {debtor.first_name}, this is {creditor.name}.

We received your payment of *{payment.amount}* on {payment.date} for your account {account.reference}. Thank you!

The balance of your account is now {account.balance}.

To stop receiving messages here, reply STOP.
