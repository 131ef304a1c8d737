# Before the due date. *text* is bold in WhatsApp.
code: preventive_reminder
channel: whatsapp
language: es
requires: not_due

Hola {debtor.first_name}, le escribimos de {creditor.name}.

Le recordamos que la cuota de su cuenta {account.reference}, por *{account.due_amount}*, vence el *{account.due_date}*.

Puede pagar en línea aquí: {pay_link}

Si ya realizó el pago, muchas gracias. Si no desea recibir más mensajes por este medio, responda BAJA.
