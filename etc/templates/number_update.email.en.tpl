# The data-cleaning flow (docs/strategies.md, "Cleaning"): every number of
# the debtor is wrong or keeps failing, so ask for a current one. A reply
# with a number adds it as a contact point for a collector to confirm.
code: number_update
channel: email
language: en
subject: What is your current phone number?

Dear {debtor.name},

We have not been able to reach you by phone about your {creditor.name} account {account.reference}: the numbers we have on file do not work.

Could you reply to this email with your current phone number? We will use it only to contact you about this account.

Sincerely,
{creditor.name}

To stop receiving these emails, reply to this message with the word STOP.
