# The data-cleaning flow (docs/strategies.md, "Cleaning"): every number of
# the debtor is wrong or keeps failing, so ask for a current one. A reply
# with a number adds it as a contact point for a collector to confirm.
code: number_update
channel: email
language: es
subject: ¿Cuál es su número de teléfono actual?

Estimado(a) {debtor.name}:

No hemos podido comunicarnos con usted por teléfono acerca de su cuenta {account.reference} con {creditor.name}: los números que tenemos registrados no funcionan.

¿Podría responder a este correo con su número de teléfono actual? Lo usaremos solo para comunicarnos con usted acerca de esta cuenta.

Atentamente,
{creditor.name}

Para dejar de recibir estos correos, responda a este mensaje con la palabra BAJA.
