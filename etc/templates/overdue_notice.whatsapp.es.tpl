# After the due date.
code: overdue_notice
channel: whatsapp
language: es
requires: past_due

Hola {debtor.first_name}, le escribimos de {creditor.name}.

Su cuenta {account.reference} registra un saldo vencido de *{account.past_due}* desde el {account.due_date}.

Puede ponerse al día en línea aquí: {pay_link}

Si necesita acordar una fecha o un plan de pago, responda a este mensaje y con gusto lo ayudaremos. Si ya realizó el pago, muchas gracias.

Si no desea recibir más mensajes por este medio, responda BAJA.
