# A few days before the date of a promise to pay (a ladder's
# promise_reminder step, docs/strategies.md). *text* is bold in WhatsApp.
code: promise_reminder
channel: whatsapp
language: es
requires: promise_pending

Hola {debtor.first_name}, le escribimos de {creditor.name}.

Le recordamos su compromiso de pago de *{promise.amount}* hasta el *{promise.date}* para su cuenta {account.reference}.

Puede pagar en línea aquí: {pay_link}

Si necesita cambiar la fecha, responda a este mensaje. Si ya realizó el pago, muchas gracias. Si no desea recibir más mensajes por este medio, responda BAJA.
