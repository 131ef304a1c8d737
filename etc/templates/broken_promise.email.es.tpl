# When the promised payment did not arrive.
code: broken_promise
channel: email
language: es
requires: promise_broken
subject: No hemos recibido el pago acordado

Estimado(a) {debtor.name}:

A la fecha no hemos registrado el pago de {promise.amount} que acordamos para el {promise.date} en su cuenta {account.reference} con {creditor.name}.

Si ya realizó el pago, le agradecemos y le pedimos que no tome en cuenta este mensaje: el pago puede tardar unos días en reflejarse.

Si aún no lo ha hecho, puede pagar en línea en:
{pay_link}

Si necesita acordar una nueva fecha, responda a este correo y con gusto lo atenderemos.

Atentamente,
{creditor.name}

Para dejar de recibir estos correos, responda a este mensaje con la palabra BAJA.
