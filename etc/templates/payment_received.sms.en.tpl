# Thanks for a payment.
code: payment_received
channel: sms
language: en
requires: payment

{creditor.name}: Thank you, {debtor.first_name}. We received your payment of {payment.amount} on {payment.date} for account {account.reference}. Reply STOP to opt out.
