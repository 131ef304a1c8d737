# Thanks for a payment.
code: payment_received
channel: whatsapp
language: es
requires: payment

Hola {debtor.first_name}, le escribimos de {creditor.name}.

Recibimos su pago de *{payment.amount}* del {payment.date} para su cuenta {account.reference}. ¡Muchas gracias!

El saldo de su cuenta es ahora {account.balance}.

Si no desea recibir más mensajes por este medio, responda BAJA.
