# A few days before the date of a promise to pay (a ladder's
# promise_reminder step, docs/strategies.md). Without á, í, ó and ú, so
# that it stays GSM-7 (etc/templates/README).
code: promise_reminder
channel: sms
language: es
requires: promise_pending

{creditor.name}: Hola {debtor.first_name}, le recordamos su promesa de pagar {promise.amount} hasta el {promise.date}. Pague en {pay_link}
Si ya lo hizo, gracias. Para no recibir SMS responda BAJA.
