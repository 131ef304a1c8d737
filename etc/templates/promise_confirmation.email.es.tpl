# Sent by the collector who took the promise: it is signed with their name.
code: promise_confirmation
channel: email
language: es
requires: promise_pending
subject: Confirmación de su compromiso de pago

Estimado(a) {debtor.name}:

Gracias por su tiempo. Le confirmamos el compromiso de pago que acordamos para su cuenta {account.reference} con {creditor.name}:

    Monto: {promise.amount}
    Fecha: {promise.date}

Puede pagar en línea en:
{pay_link}

Si necesita cambiar la fecha o tiene alguna consulta, responda a este correo.

Atentamente,
{agent.name}
{creditor.name}

Para dejar de recibir estos correos, responda a este mensaje con la palabra BAJA.
