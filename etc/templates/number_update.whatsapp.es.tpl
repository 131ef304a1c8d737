# The data-cleaning flow (docs/strategies.md, "Cleaning"): every number of
# the debtor is wrong or keeps failing, so ask for a current one.
code: number_update
channel: whatsapp
language: es

Hola {debtor.first_name}, le escribimos de {creditor.name} por su cuenta {account.reference}.

No hemos podido comunicarnos con usted a los números que tenemos registrados. ¿Podría responder a este mensaje con su *número de teléfono actual*?

Lo usaremos solo para comunicarnos con usted acerca de esta cuenta. Si no desea recibir más mensajes por este medio, responda BAJA.
