# The data-cleaning flow (docs/strategies.md, "Cleaning"): every number of
# the debtor is wrong or keeps failing, so ask for a current one.
code: number_update
channel: whatsapp
language: en

Hi {debtor.first_name}, this is {creditor.name} about your account {account.reference}.

We have not been able to reach you at the numbers we have on file. Could you reply to this message with your *current phone number*?

We will use it only to contact you about this account. To stop receiving messages here, reply STOP.
