# When the promised payment did not arrive.
code: broken_promise
channel: whatsapp
language: en
requires: promise_broken

Hi {debtor.first_name}, this is {creditor.name}.

As of today we have not received the payment of *{promise.amount}* that we arranged for {promise.date} on your account {account.reference}.

If you have not paid yet, you can pay here: {pay_link}

If you need to arrange a new date, reply to this message. If you have already paid, thank you, and sorry for the trouble.

To stop receiving messages here, reply STOP.
