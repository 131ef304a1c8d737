# After the due date.
code: overdue_notice
channel: email
language: es
requires: past_due
subject: Su cuenta {account.reference} tiene un saldo vencido

Estimado(a) {debtor.name}:

Le informamos que su cuenta {account.reference} con {creditor.name} registra un saldo vencido de {account.past_due} desde el {account.due_date}. El saldo total de la cuenta es {account.balance}.

Puede ponerse al día en línea en:
{pay_link}

Si tiene dificultades para pagar, responda a este correo: con gusto buscaremos con usted una fecha o un plan de pago que se ajuste a su situación.

Si ya realizó el pago, le agradecemos y le pedimos que no tome en cuenta este mensaje.

Atentamente,
{creditor.name}

Para dejar de recibir estos correos, responda a este mensaje con la palabra BAJA.
