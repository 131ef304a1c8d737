# When the promised payment did not arrive.
code: broken_promise
channel: sms
language: en
requires: promise_broken

{creditor.name}: Hi {debtor.first_name}, we have not received the payment of {promise.amount} you arranged for {promise.date}. You can pay at {pay_link} or reply to arrange a new date. Reply STOP to opt out.
