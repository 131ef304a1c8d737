#!/usr/bin/python3
"""A stand-in for cobrod's HTTP providers: a generic SMS gateway and the
WhatsApp Cloud API, on loopback, for tests/cli/test_cobrod_gateways.sh.

    /usr/bin/python3 tests/lib/gateway.py DIR PORT

Listens on 127.0.0.1:PORT and answers by path:

    /sms                       the generic SMS gateway: 200
                               {"data": {"id": "gw-N"}} when Authorization is
                               "Basic base64($GATEWAY_BASIC)" or "Bearer
                               $GATEWAY_TOKEN" (whichever are set), else 401
    /sms-busy                  503 always (Retry-After: 1), whoever asks
    /v19.0/PHONE/messages      WhatsApp: 200 {"messaging_product": "whatsapp",
                               "messages": [{"id": "wamid.N"}]} with "Bearer
                               $GATEWAY_WA_TOKEN" ($GATEWAY_TOKEN when unset),
                               else 401 with Meta's error 190. PHONE is
                               $GATEWAY_PHONE_ID, or any digits when unset
    anything else              404

N counts the 200s of each kind from 1, so the first message a test sends
gets gw-1 or wamid.1.

Every request, answered or not, is appended to DIR/gateway.log as one JSON
line: {"n", "method", "path", "query" (decoded parameters), "headers" (names
in lower case), "body" (the body as UTF-8 text), "status" and "reply" (what
was answered), "t"}. "body_error" is there too when the body was not UTF-8
(the text then has U+FFFD where the bad bytes were). A line is written whole
before the answer goes out, so a client that has its answer finds its line.

Prints "gateway: ready on 127.0.0.1:PORT" once it accepts connections; runs
until SIGTERM or SIGINT. Standard library only.
"""

import base64
import http.server
import json
import os
import re
import signal
import sys
import threading
import time
import urllib.parse as up


def expected():
    """The Authorization values that pass, from the environment."""
    basic = os.environ.get("GATEWAY_BASIC")
    token = os.environ.get("GATEWAY_TOKEN")
    wa = os.environ.get("GATEWAY_WA_TOKEN") or token
    sms = set()
    if basic:
        # The user and password are UTF-8 bytes on the wire, as curl sends them.
        sms.add("Basic " + base64.b64encode(basic.encode("utf-8")).decode("ascii"))
    if token:
        sms.add("Bearer " + token)
    return sms, {"Bearer " + wa} if wa else set()


class Gateway(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port, logpath):
        super().__init__(("127.0.0.1", port), Handler)
        self.log = open(logpath, "a", buffering=1, encoding="utf-8")
        self.lock = threading.Lock()
        self.seq = 0
        self.counts = {"sms": 0, "whatsapp": 0}
        self.sms_auth, self.wa_auth = expected()
        phone = os.environ.get("GATEWAY_PHONE_ID")
        self.wa_path = re.compile(r"^/v19\.0/%s/messages$" % (re.escape(phone) if phone else r"[0-9]+"))

    def next_id(self, kind):
        with self.lock:
            self.counts[kind] += 1
            return self.counts[kind]

    def record(self, entry):
        # One write per line under the lock: threads never interleave lines.
        with self.lock:
            self.seq += 1
            entry["n"] = self.seq
            self.log.write(json.dumps(entry, ensure_ascii=False) + "\n")


class Handler(http.server.BaseHTTPRequestHandler):
    # Keep-alive: cobrod reuses its connections, and the test should see it
    # work as it would against a real provider.
    protocol_version = "HTTP/1.1"

    def read_body(self):
        n = self.headers.get("Content-Length")
        if n is not None:
            return self.rfile.read(int(n))
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            # curl sends chunks when it does not know the size in advance.
            data = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return b""

    def route(self, path, auth, body):
        """(status, reply object, extra headers) for a request."""
        s = self.server
        if path == "/sms":
            if auth in s.sms_auth:
                return 200, {"data": {"id": "gw-%d" % s.next_id("sms")}}, []
            # A challenge for each scheme the gateway takes, as real ones send.
            challenges = [("WWW-Authenticate", a.split(" ")[0] + ' realm="sms"') for a in sorted(s.sms_auth)]
            return 401, {"error": "unauthorized"}, challenges
        if path == "/sms-busy":
            return 503, {"error": "busy, try again later"}, [("Retry-After", "1")]
        if s.wa_path.match(path):
            if auth in s.wa_auth:
                try:
                    to = json.loads(body).get("to", "")
                except (ValueError, AttributeError):
                    to = ""
                # The Cloud API echoes the recipient as it was given.
                return 200, {"messaging_product": "whatsapp",
                             "contacts": [{"input": to, "wa_id": str(to).lstrip("+")}],
                             "messages": [{"id": "wamid.%d" % s.next_id("whatsapp")}]}, []
            # What the Cloud API answers a bad token with.
            return 401, {"error": {"message": "Invalid OAuth access token.", "type": "OAuthException",
                                   "code": 190, "fbtrace_id": "gateway-test"}}, []
        return 404, {"error": "no such path"}, []

    def handle_any(self):
        u = up.urlsplit(self.path)
        raw = self.read_body()
        try:
            body, body_error = raw.decode("utf-8"), None
        except UnicodeDecodeError as e:
            body, body_error = raw.decode("utf-8", "replace"), str(e)
        try:
            query = dict(up.parse_qsl(u.query, keep_blank_values=True, encoding="utf-8", errors="strict"))
        except UnicodeDecodeError:
            query = {"_error": "query is not UTF-8"}
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, reply, extra = self.route(u.path, headers.get("authorization", ""), body)
        entry = {"method": self.command, "path": u.path, "query": query, "headers": headers,
                 "body": body, "status": status, "reply": reply, "t": time.time()}
        if body_error:
            entry["body_error"] = body_error
        self.server.record(entry)
        out = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(out)

    do_GET = do_POST = do_PUT = do_DELETE = handle_any

    def log_message(self, *a):
        # Every request is in gateway.log already; stderr stays for errors.
        pass


def main():
    if len(sys.argv) != 3:
        print("usage: gateway.py DIR PORT", file=sys.stderr)
        return 2
    d, port = sys.argv[1], int(sys.argv[2])
    os.makedirs(d, exist_ok=True)
    try:
        server = Gateway(port, os.path.join(d, "gateway.log"))
    except OSError as e:
        print("gateway: cannot listen on 127.0.0.1:%d: %s" % (port, e), file=sys.stderr, flush=True)
        return 1
    # serve_forever() runs in the main thread, where Python runs signal
    # handlers: shutdown() must come from another thread or it waits forever.
    stop = lambda *_: threading.Thread(target=server.shutdown, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print("gateway: ready on 127.0.0.1:%d (pid %d, log in %s)" % (port, os.getpid(), d), flush=True)
    server.serve_forever()
    server.server_close()
    print("gateway: stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
