# Thanks for a payment.
code: payment_received
channel: sms
language: es
requires: payment

{creditor.name}: Gracias, {debtor.first_name}. Recibimos su pago de {payment.amount} del {payment.date} para la cuenta {account.reference}. Para no recibir SMS responda BAJA.
