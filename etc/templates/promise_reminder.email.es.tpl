# A few days before the date of a promise to pay (a ladder's
# promise_reminder step, docs/strategies.md).
code: promise_reminder
channel: email
language: es
requires: promise_pending
subject: Recordatorio: su compromiso de pago del {promise.date}

Estimado(a) {debtor.name}:

Le recordamos el compromiso de pago que acordamos para su cuenta {account.reference} con {creditor.name}: {promise.amount} hasta el {promise.date}.

Puede pagar por los medios de pago habituales de {creditor.name} o en línea en:
{pay_link}

Si necesita cambiar la fecha, responda a este correo. Si ya realizó el pago, muchas gracias y disculpe la molestia.

Atentamente,
{creditor.name}

Para dejar de recibir estos correos, responda a este mensaje con la palabra BAJA.
