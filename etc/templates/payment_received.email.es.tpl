# Thanks for a payment.
code: payment_received
channel: email
language: es
requires: payment
subject: Hemos recibido su pago

Estimado(a) {debtor.name}:

Le confirmamos que recibimos su pago de {payment.amount} del {payment.date} para su cuenta {account.reference} con {creditor.name}. ¡Muchas gracias!

El saldo de su cuenta es ahora {account.balance}.

Atentamente,
{creditor.name}

Para dejar de recibir estos correos, responda a este mensaje con la palabra BAJA.
