# Before the due date.
code: preventive_reminder
channel: email
language: es
requires: not_due
subject: Recordatorio: su cuota vence el {account.due_date}

Estimado(a) {debtor.name}:

Le recordamos que la cuota de su cuenta {account.reference} con {creditor.name}, por {account.due_amount}, vence el {account.due_date}.

Puede pagarla por los medios de pago habituales de {creditor.name} o en línea en:
{pay_link}

Si ya realizó el pago, le agradecemos y le pedimos que no tome en cuenta este mensaje.

Atentamente,
{creditor.name}

Para dejar de recibir estos correos, responda a este mensaje con la palabra BAJA.
