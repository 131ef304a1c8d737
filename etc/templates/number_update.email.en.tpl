# Data cleaning: every number of the debtor is wrong or keeps failing.
code: number_update
channel: email
language: en
subject: {creditor.name}: which number can we reach you at?

Dear {debtor.name},

We are writing from {creditor.name} about your account {account.reference}. We have not been able to reach you by phone: the number we have on file no longer answers.

Could you tell us a current phone number? You can reply by WhatsApp or text message with your new number, for example: "my new number is 555 123 4567".

Thank you.

Sincerely,
{creditor.name}

To stop receiving these emails, reply to this message with the word STOP.
