# Before the due date. Spanish SMS leave out á, í, ó and ú: any of them
# turns the message into UCS-2, with less than half the room per segment.
code: preventive_reminder
channel: sms
language: es
requires: not_due

{creditor.name}: Hola {debtor.first_name}, le recordamos que su cuota de {account.due_amount} vence el {account.due_date}. Puede pagar en {pay_link}
Si ya lo hizo, gracias. Para no recibir SMS responda BAJA.
