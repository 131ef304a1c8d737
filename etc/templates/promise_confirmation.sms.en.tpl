# Sent when a promise to pay is taken.
code: promise_confirmation
channel: sms
language: en
requires: promise_pending

{creditor.name}: Thank you, {debtor.first_name}. We confirm your promise to pay {promise.amount} by {promise.date}. You can pay at {pay_link}
Reply STOP to opt out.
