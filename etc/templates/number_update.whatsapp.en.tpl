# Data cleaning: every number of the debtor is wrong or keeps failing.
code: number_update
channel: whatsapp
language: en

Hello {debtor.first_name}, this is {creditor.name} about your account {account.reference}.

We have not been able to reach you at the number we have on file. Could you reply with a current phone number? For example: "my new number is 555 123 4567".

To stop receiving these messages, reply STOP.
