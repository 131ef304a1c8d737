# Sent when a promise to pay is taken.
code: promise_confirmation
channel: sms
language: es
requires: promise_pending

{creditor.name}: Gracias, {debtor.first_name}. Confirmamos su compromiso de pagar {promise.amount} hasta el {promise.date}. Puede pagar en {pay_link}
Para no recibir SMS responda BAJA.
