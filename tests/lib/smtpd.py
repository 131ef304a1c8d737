#!/usr/bin/python3
"""A real SMTP server for cobro's tests, the demo and the benchmark.

    /usr/bin/python3 tests/lib/smtpd.py DIR [--host 127.0.0.1] [--port 2525]
                                           [--user U] [--password P]

Listens on HOST:PORT (127.0.0.1:2525, or $SMTP_PORT), advertises AUTH PLAIN and
LOGIN over plain TCP and refuses mail from a client that has not logged in with
USER/PASSWORD ($SMTP_USER/$SMTP_PASSWORD, default cobro/cobro): no login gives
530, a wrong one 535, as a real submission server would.

Each accepted message is saved as two files in DIR/mail:
    NNNNNN.eml   the DATA exactly as received (CRLF line ends, dot-unstuffed)
    NNNNNN.json  {"seq", "mail_from", "rcpt_tos", "mail_options",
                  "rcpt_options", "auth_user", "peer", "size", "received_at"}
Two kinds of test mailbox fail at RCPT TO: busy.*@ answers 451 (full for
now: try again later) and nobody.*@ 550 (no such user).

NNNNNN counts from the highest number already in DIR/mail, so a restart never
overwrites. The .json is written last (through a rename), so a reader that
counts *.json files only ever sees complete messages.

Prints "smtpd: ready on HOST:PORT" once it accepts connections and one line per
message; runs until SIGTERM or SIGINT. Needs Debian's python3-aiosmtpd, hence
/usr/bin/python3 (a pyenv python3 cannot see it).
"""

import argparse
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def log(msg):
    # One line per event; flushed so a log file shows it at once.
    print("smtpd: " + msg, flush=True)


class Authenticator:
    """Accepts exactly one login. handled=False lets aiosmtpd answer the
    client itself (235 or 535); with handled=True a failure gets no reply at
    all and the client hangs."""

    def __init__(self, user, password):
        self.user = user.encode()
        self.password = password.encode()

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == self.user
              and auth_data.password == self.password)
        if not ok:
            who = auth_data.login.decode(errors="replace") if isinstance(auth_data, LoginPassword) else "?"
            log("login refused for %r (%s)" % (who, mechanism))
        return AuthResult(success=ok, handled=False,
                          auth_data=auth_data.login.decode(errors="replace") if ok else None)


class Saver:
    """The aiosmtpd handler: writes each message to DIR/mail."""

    def __init__(self, maildir):
        self.maildir = maildir
        self.lock = threading.Lock()
        self.seq = 0
        for name in os.listdir(maildir):
            stem, ext = os.path.splitext(name)
            if ext in (".eml", ".json") and stem.isdigit():
                self.seq = max(self.seq, int(stem))

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # Test mailboxes that fail: busy.* is full for now (a temporary 451:
        # the sender should try again later), nobody.* does not exist (550).
        local = address.split("@", 1)[0].lower()
        if local.startswith("busy"):
            log("rcpt %s: 451 busy" % address)
            return "451 4.2.1 Mailbox busy, try again later"
        if local.startswith("nobody"):
            log("rcpt %s: 550 no such user" % address)
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        data = envelope.original_content
        if data is None:  # aiosmtpd < 1.4 kept only .content
            data = envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8", errors="surrogateescape")
        with self.lock:
            self.seq += 1
            seq = self.seq
        stem = os.path.join(self.maildir, "%06d" % seq)
        with open(stem + ".eml", "wb") as f:
            f.write(data)
        meta = {
            "seq": seq,
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "mail_options": list(envelope.mail_options),
            "rcpt_options": list(envelope.rcpt_options),
            "auth_user": getattr(session, "auth_data", None),
            "peer": list(session.peer) if session.peer else None,
            "size": len(data),
            "received_at": time.time(),
        }
        tmp = stem + ".json.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(meta, f, ensure_ascii=False)
            f.write("\n")
        os.rename(tmp, stem + ".json")
        log("saved %06d from=<%s> to=%s bytes=%d" % (seq, envelope.mail_from,
                                                    ",".join(envelope.rcpt_tos), len(data)))
        return "250 2.0.0 Ok: queued as %06d" % seq


def main():
    p = argparse.ArgumentParser(description="SMTP server with AUTH that saves every message")
    p.add_argument("dir", help="directory; messages go to DIR/mail")
    p.add_argument("--host", default=os.environ.get("SMTP_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(os.environ.get("SMTP_PORT", "2525")))
    p.add_argument("--user", default=os.environ.get("SMTP_USER", "cobro"))
    p.add_argument("--password", default=os.environ.get("SMTP_PASSWORD", "cobro"))
    a = p.parse_args()

    # AUTH without TLS is deliberate here (loopback tests): aiosmtpd's warning
    # about it, repeated on every connection, and its deprecation notes only
    # bury the one line per message this log is for.
    warnings.simplefilter("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)

    maildir = os.path.join(a.dir, "mail")
    os.makedirs(maildir, exist_ok=True)

    stop = threading.Event()
    # Python runs signal handlers in the main thread, which only waits on this
    # event; set before the server starts, a SIGTERM during start-up still
    # ends us cleanly.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())

    # Controller.start() reports a failed bind only after ready_timeout: try the
    # address first, to fail at once with the reason.
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((a.host, a.port))
    except (OSError, OverflowError) as e:
        print("smtpd: cannot listen on %s:%d: %s" % (a.host, a.port, e), file=sys.stderr, flush=True)
        return 1

    controller = Controller(
        Saver(maildir), hostname=a.host, port=a.port,
        server_hostname="cobro-test-smtpd",
        # Tests and the demo speak plain TCP on loopback: AUTH without TLS.
        auth_required=True, auth_require_tls=False,
        authenticator=Authenticator(a.user, a.password),
        enable_SMTPUTF8=True,
        ready_timeout=10.0,
    )
    try:
        controller.start()
    except Exception as e:  # port taken, bad address...
        print("smtpd: cannot listen on %s:%d: %s" % (a.host, a.port, e), file=sys.stderr, flush=True)
        return 1
    log("ready on %s:%d (pid %d, mail in %s)" % (a.host, a.port, os.getpid(), maildir))
    while not stop.wait(1.0):
        pass
    controller.stop()
    log("stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
