# Data cleaning: every number of the debtor is wrong or keeps failing.
code: number_update
channel: email
language: es
subject: {creditor.name}: ¿a qué número podemos llamarle?

Estimado(a) {debtor.name}:

Le escribimos de {creditor.name} por su cuenta {account.reference}. No hemos podido comunicarnos con usted por teléfono: el número que tenemos registrado ya no responde.

¿Nos indica un número de teléfono actual? Puede respondernos por WhatsApp o por SMS con su número nuevo, por ejemplo: "mi número nuevo es 987 654 321".

Muchas gracias.

Atentamente,
{creditor.name}

Si no desea recibir más correos, responda a este mensaje con la palabra BAJA.
