# Before the due date.
code: preventive_reminder
channel: sms
language: en
requires: not_due

{creditor.name}: Hi {debtor.first_name}, a reminder that your payment of {account.due_amount} is due on {account.due_date}. You can pay at {pay_link}
If you have already paid, thank you. Reply STOP to opt out.
