# When the promised payment did not arrive.
code: broken_promise
channel: whatsapp
language: es
requires: promise_broken

Hola {debtor.first_name}, le escribimos de {creditor.name}.

A la fecha no hemos registrado el pago de *{promise.amount}* que acordamos para el {promise.date} en su cuenta {account.reference}.

Si aún no lo ha hecho, puede pagar aquí: {pay_link}

Si necesita acordar una nueva fecha, responda a este mensaje. Si ya realizó el pago, muchas gracias y disculpe la molestia.

Si no desea recibir más mensajes por este medio, responda BAJA.
