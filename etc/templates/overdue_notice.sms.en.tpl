# After the due date.
code: overdue_notice
channel: sms
language: en
requires: past_due

{creditor.name}: Hi {debtor.first_name}, your account has a past-due amount of {account.past_due}. You can pay at {pay_link} or reply to this text to arrange a date. Reply STOP to opt out.
