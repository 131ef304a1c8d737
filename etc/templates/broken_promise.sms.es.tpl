# When the promised payment did not arrive.
code: broken_promise
channel: sms
language: es
requires: promise_broken

{creditor.name}: Hola {debtor.first_name}, no hemos recibido el pago acordado de {promise.amount}. Puede pagar en {pay_link} o responder a este SMS para acordar otra fecha. Para no recibir SMS responda BAJA.
