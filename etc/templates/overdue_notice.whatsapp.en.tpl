# After the due date.
code: overdue_notice
channel: whatsapp
language: en
requires: past_due

Hi {debtor.first_name}, this is {creditor.name}.

Your account {account.reference} has a past-due amount of *{account.past_due}*, unpaid since {account.due_date}.

You can bring it up to date online here: {pay_link}

If you need to arrange a date or a payment plan, reply to this message and we will be glad to help. If you have already paid, thank you.

To stop receiving messages here, reply STOP.
