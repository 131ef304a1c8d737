code: a
channel: sms
language: es
requires: promise_broken, past_due

Hola {promise.amount}
