# Sent when a promise to pay is taken. Short enough that a name or a
# creditor with á, í, ó or ú (UCS-2: 67 characters a segment) keeps it
# within 3 segments for the usual lengths (etc/templates/README).
code: promise_confirmation
channel: sms
language: es
requires: promise_pending

{creditor.name}: {debtor.first_name}, confirmamos su promesa de pagar {promise.amount} hasta el {promise.date}. Pague en {pay_link}
Responda BAJA para no recibir SMS.
