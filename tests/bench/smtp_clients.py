#!/usr/bin/python3
"""Parallel SMTP clients: the SMTP server's own acceptance rate, the baseline
cobrod's email figure is put beside (tests/bench/gateway_baseline.sh).

    smtp_clients.py COUNT CLIENTS

CLIENTS processes at once, each logging in (AUTH) once on one connection and
sending its share of COUNT small 8-bit UTF-8 messages over it. Prints
"gateway_email_per_s VALUE", from the moment all clients are connected and
logged in to the last message accepted; exits 1, saying how many on standard
error, when any message was refused. Where and as whom: $SMTP_PORT (2525),
$SMTP_USER, $SMTP_PASSWORD (cobro), on 127.0.0.1.
"""

import multiprocessing
import os
import smtplib
import sys
import time


def body(i):
    return ("From: Cobro <cobro@example.com>\r\n"
            "To: <deudor%d@example.net>\r\n"
            "Subject: =?UTF-8?Q?Recordatorio_de_pago_N=C2=BA_%d?=\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=UTF-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n"
            "\r\n"
            "Hola Núñez, le recordamos su cuota de 120,50 € (ref. %d).\r\n" % (i, i, i)).encode()


def client(k, share, ready, go, result):
    port = int(os.environ.get("SMTP_PORT", "2525"))
    s = smtplib.SMTP("127.0.0.1", port)
    s.login(os.environ.get("SMTP_USER", "cobro"), os.environ.get("SMTP_PASSWORD", "cobro"))
    msgs = [body(k * 1000000 + i) for i in range(share)]
    ready.release()
    go.wait()
    bad = 0
    for i, m in enumerate(msgs):
        try:
            s.sendmail("cobro@example.com", ["deudor%d@example.net" % (k * 1000000 + i)], m)
        except smtplib.SMTPException:
            bad += 1
    result.put((bad, time.monotonic()))
    s.quit()


def main():
    count, clients = int(sys.argv[1]), int(sys.argv[2])
    ready = multiprocessing.Semaphore(0)
    go = multiprocessing.Event()
    result = multiprocessing.Queue()
    shares = [count // clients + (1 if k < count % clients else 0) for k in range(clients)]
    procs = [multiprocessing.Process(target=client, args=(k, shares[k], ready, go, result))
             for k in range(clients)]
    for p in procs:
        p.start()
    for _ in procs:
        ready.acquire()
    t0 = time.monotonic()
    go.set()
    bad, end = 0, t0
    for _ in procs:
        b, t = result.get()
        bad += b
        end = max(end, t)
    for p in procs:
        p.join()
    print("gateway_email_per_s %.1f" % (count / (end - t0)), flush=True)
    if bad:
        print("smtp_clients: %d of %d emails were refused" % (bad, count), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
