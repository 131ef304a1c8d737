# After the due date.
code: overdue_notice
channel: sms
language: es
requires: past_due

{creditor.name}: Hola {debtor.first_name}, su cuenta tiene un saldo vencido de {account.past_due}. Puede pagar en {pay_link} o responder a este SMS para acordar una fecha. Para no recibir SMS responda BAJA.
