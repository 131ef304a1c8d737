# Sent when a promise to pay is taken.
code: promise_confirmation
channel: whatsapp
language: es
requires: promise_pending

Hola {debtor.first_name}, gracias por su tiempo. Le confirmamos su compromiso de pago con {creditor.name}:

Cuenta: {account.reference}
Monto: *{promise.amount}*
Fecha: *{promise.date}*

Puede pagar en línea aquí: {pay_link}

Si necesita cambiar la fecha, responda a este mensaje. Si no desea recibir más mensajes por este medio, responda BAJA.
