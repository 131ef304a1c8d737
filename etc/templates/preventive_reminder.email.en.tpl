# Before the due date.
code: preventive_reminder
channel: email
language: en
requires: not_due
subject: Reminder: your payment is due on {account.due_date}

Dear {debtor.name},

This is a friendly reminder that the payment of {account.due_amount} on your {creditor.name} account {account.reference} is due on {account.due_date}.

You can pay by any of the usual {creditor.name} payment methods, or online at:
{pay_link}

If you have already paid, thank you, and please disregard this message.

Sincerely,
{creditor.name}

To stop receiving these emails, reply to this message with the word STOP.
