# After the due date.
code: overdue_notice
channel: email
language: en
requires: past_due
subject: Your account {account.reference} is past due

Dear {debtor.name},

Our records show that your {creditor.name} account {account.reference} has a past-due amount of {account.past_due}, unpaid since {account.due_date}. The total balance of the account is {account.balance}.

You can bring your account up to date online at:
{pay_link}

If you are having difficulty paying, please reply to this email: we will be glad to work with you on a date or a payment plan that suits your situation.

If you have already paid, thank you, and please disregard this message.

Sincerely,
{creditor.name}

To stop receiving these emails, reply to this message with the word STOP.
