# A few days before the date of a promise to pay (a ladder's
# promise_reminder step, docs/strategies.md).
code: promise_reminder
channel: sms
language: en
requires: promise_pending

{creditor.name}: Hi {debtor.first_name}, a reminder of your promise to pay {promise.amount} by {promise.date}. You can pay at {pay_link}
If you already did, thank you. Reply STOP to opt out.
