# Sent when a promise to pay is taken.
code: promise_confirmation
channel: whatsapp
language: en
requires: promise_pending

Hi {debtor.first_name}, thank you for your time. This confirms your payment arrangement with {creditor.name}:

Account: {account.reference}
Amount: *{promise.amount}*
Date: *{promise.date}*

You can pay online here: {pay_link}

If you need to change the date, reply to this message. To stop receiving messages here, reply STOP.
