# Data cleaning: every number of the debtor is wrong or keeps failing.
code: number_update
channel: whatsapp
language: es

Hola {debtor.first_name}, le escribimos de {creditor.name} por su cuenta {account.reference}.

No hemos podido comunicarnos con usted al número que tenemos registrado. ¿Nos responde con un número de teléfono actual? Por ejemplo: "mi número nuevo es 987 654 321".

Si no desea recibir más mensajes por este medio, responda BAJA.
