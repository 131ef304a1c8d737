# shellcheck shell=bash
# Sourced by test scripts (never run): real Kannel and SMTP on 127.0.0.1
# through scripts/services.sh, and what a test needs to check their traffic.
#
#   services_up DIR kannel|smtp...     start them in DIR (ports etc. from the
#                                      environment, see scripts/services.sh) and
#                                      export what start recorded: KANNEL_*,
#                                      SMTP_*, COBROD_HTTP, KANNEL_SENDSMS_URL...
#   services_down DIR                  stop everything started in DIR, the HTTP
#                                      sink included
#   services_pids DIR                  the PIDs recorded in DIR, one a line
#   free_port FROM TO [TAKEN...]       the first port in FROM..TO nothing listens
#                                      on (and not among TAKEN), or fail
#   services_ports FROM TO             free ports in FROM..TO for Kannel (admin,
#                                      box, sendsms, fake SMSC) and cobrod's
#                                      listener, exported as KANNEL_*_PORT and
#                                      COBROD_HTTP_PORT
#   kannel_send DIR TO TEXT [CURL_ARGS...]
#                                      GET sendsms as the configured user; prints
#                                      "HTTP_CODE BODY". charset=UTF-8 always, and
#                                      coding=2 (UCS-2) when TEXT is not ASCII,
#                                      unless CURL_ARGS set coding themselves
#   fakesmsc_texts DIR                 every MT the operator received, decoded:
#                                      "SENDER<TAB>RECEIVER<TAB>TEXT" (segments
#                                      of a concatenated MT joined; \n, \t and \\
#                                      escaped)
#   fakesmsc_wait_text DIR TEXT SECS   wait until an MT with exactly TEXT arrived
#   smtp_wait_count DIR N SECS         wait until DIR/mail holds N messages
#   http_sink_start DIR PORT           a stand-in for cobrod's HTTP listener:
#                                      answers 200 "ok" to every GET and appends
#                                      one JSON line per request to
#                                      DIR/http_sink.log: {"path", "query" (the
#                                      decoded UTF-8 parameters), "raw", "t"}
#   http_sink_wait DIR SECS KEY=VALUE...
#                                      wait for a request whose path (key
#                                      "path") and decoded parameters match all
#                                      KEY=VALUE; prints its JSON line
#   http_sink_count DIR KEY=VALUE...   how many requests match
#   http_sink_stop DIR
#   py_start NAME DIR ARGS... / py_stop NAME DIR
#                                      a Python stand-in of ours (NAME prints
#                                      "NAME: ready" once it listens)
#
# The wait functions return 1 on timeout. Python helpers run with Debian's
# /usr/bin/python3 (a pyenv python3 on PATH may lack what they need).

services_top=${COBRO_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
services_py=${SERVICES_PYTHON:-/usr/bin/python3}

services_up() {
	local dir=$1
	shift
	mkdir -p "$dir"
	if ! "$services_top/scripts/services.sh" start "$dir" "$@" >"$dir/start.log" 2>&1; then
		sed 's/^/# services: /' "$dir/start.log" >&2
		return 1
	fi
	# shellcheck disable=SC1091
	. "$dir/services.env"
}

services_down() {
	local dir=$1
	http_sink_stop "$dir"
	[ -d "$dir" ] || return 0
	"$services_top/scripts/services.sh" stop "$dir" >/dev/null 2>&1
}

services_pids() {
	local f
	for f in "$1"/*.pid; do
		[ -f "$f" ] && cat "$f"
	done
	return 0
}

# free_port FROM TO [TAKEN...]: a port of FROM..TO nothing listens on, nor
# one of TAKEN. The look starts at a random port of the range and goes round:
# the same suite may run at the same moment in another lane of make check
# (tests/run.sh), and two looks from FROM would both find the same port.
free_port() {
	local from=$1 to=$2 p t i n
	shift 2
	n=$((to - from + 1))
	p=$((from + RANDOM % n))
	for ((i = 0; i < n; i++, p = (p - from + 1) % n + from)); do
		for t in "$@"; do [ "$t" = "$p" ] && continue 2; done
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

services_ports() {
	local from=$1 to=$2
	KANNEL_ADMIN_PORT=$(free_port "$from" "$to") &&
		KANNEL_BOX_PORT=$(free_port "$from" "$to" "$KANNEL_ADMIN_PORT") &&
		KANNEL_SENDSMS_PORT=$(free_port "$from" "$to" "$KANNEL_ADMIN_PORT" "$KANNEL_BOX_PORT") &&
		KANNEL_SMSC_PORT=$(free_port "$from" "$to" "$KANNEL_ADMIN_PORT" "$KANNEL_BOX_PORT" "$KANNEL_SENDSMS_PORT") &&
		COBROD_HTTP_PORT=$(free_port "$from" "$to" "$KANNEL_ADMIN_PORT" "$KANNEL_BOX_PORT" "$KANNEL_SENDSMS_PORT" \
			"$KANNEL_SMSC_PORT") || return 1
	export KANNEL_ADMIN_PORT KANNEL_BOX_PORT KANNEL_SENDSMS_PORT KANNEL_SMSC_PORT COBROD_HTTP_PORT
}

kannel_send() {
	local dir=$1 to=$2 text=$3
	shift 3
	local -a extra=(-d charset=UTF-8)
	# bash's own test for "not ASCII": under LC_ALL=C each byte is a char.
	if [[ " $* " != *coding=* ]] && LC_ALL=C grep -q '[^ -~]' <<<"$text"; then
		extra+=(-d coding=2)
	fi
	(
		# shellcheck disable=SC1091
		. "$dir/services.env"
		curl -sS -G --max-time 10 -o - -w ' %{http_code}' "$KANNEL_SENDSMS_URL" \
			--data-urlencode "username=$KANNEL_SENDSMS_USER" \
			--data-urlencode "password=$KANNEL_SENDSMS_PASSWORD" \
			--data-urlencode "to=$to" --data-urlencode "text=$text" \
			"${extra[@]}" "$@"
	) | awk '{ code = $NF; $NF = ""; sub(/ +$/, ""); print code " " $0 }'
}

# fakesmsc's log line for each MT is "... Got message N: <SENDER RECEIVER REST>"
# with REST one of (scripts/services.sh, Kannel's smsc_fake.c):
#   text TEXT                 7-bit text, as UTF-8
#   ucs-2 URLENC              UCS-2: URL-encoded UTF-16BE
#   data URLENC               8-bit
#   udh URLENC data URLENC    a segment of a concatenated MT: the UDH (IEI 0
#                             or 8 carries reference, total, number) and the
#                             segment's bytes, UTF-16BE or UTF-8 (not said)
# This decodes them all, joining segments in order.
_fakesmsc_py='
import re, sys, time, urllib.parse as up

def dec(s):
    # Kannel URL-encodes a space as "+" (and a "+" as %2B).
    return up.unquote_to_bytes(s.replace("+", " "))

def texts(path):
    try:
        lines = open(path, "rb").read().decode("utf-8", "replace").splitlines()
    except FileNotFoundError:
        return []
    out, parts = [], {}
    for line in lines:
        m = re.search(r"Got message \d+: <(.*)>$", line)
        if not m:
            continue
        f = m.group(1).split(" ", 3)
        if len(f) < 4:
            continue
        snd, rcv, kind, rest = f
        if kind == "text":
            out.append((snd, rcv, [rest]))
        elif kind == "ucs-2":
            out.append((snd, rcv, [dec(rest).decode("utf-16-be", "replace")]))
        elif kind == "data":
            out.append((snd, rcv, [dec(rest).decode("utf-8", "replace")]))
        elif kind == "udh":
            udh, _, data = rest.partition(" data ")
            u = dec(udh)
            raw = dec(data)
            ref = total = seq = None
            i = 1
            while i + 1 < len(u):
                iei, ln = u[i], u[i + 1]
                v = u[i + 2:i + 2 + ln]
                if iei == 0 and ln == 3:
                    ref, total, seq = v[0], v[1], v[2]
                elif iei == 8 and ln == 4:
                    ref, total, seq = v[0] << 8 | v[1], v[2], v[3]
                i += 2 + ln
            if ref is None:
                out.append((snd, rcv, candidates(raw)))
                continue
            parts.setdefault((snd, rcv, ref, total), {})[seq] = raw
        else:
            out.append((snd, rcv, [rest]))
        # complete concatenations, in the order their last part arrived
        for key in [k for k, v in parts.items() if len(v) == k[3]]:
            segs = parts.pop(key)
            out.append((key[0], key[1], candidates(b"".join(segs[k] for k in sorted(segs)))))
    return out

def candidates(raw):
    # A concatenated segment does not say its coding: UCS-2 first when the
    # bytes hold a NUL (Latin text in UTF-16BE always does), else UTF-8.
    c = []
    if len(raw) % 2 == 0:
        try:
            c.append(raw.decode("utf-16-be"))
        except UnicodeDecodeError:
            pass
    try:
        c.append(raw.decode("utf-8"))
    except UnicodeDecodeError:
        c.append(raw.decode("latin-1"))
    if b"\0" not in raw:
        c.reverse()
    return c

def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")

mode, path = sys.argv[1], sys.argv[2]
if mode == "list":
    for snd, rcv, c in texts(path):
        print("%s\t%s\t%s" % (snd, rcv, esc(c[0])))
    sys.exit(0)
want, deadline = sys.argv[3], time.time() + float(sys.argv[4])
while True:
    if any(want in c for _, _, c in texts(path)):
        sys.exit(0)
    if time.time() >= deadline:
        sys.exit(1)
    time.sleep(0.1)
'

fakesmsc_texts() {
	"$services_py" -c "$_fakesmsc_py" list "$1/fakesmsc.out"
}

fakesmsc_wait_text() {
	"$services_py" -c "$_fakesmsc_py" wait "$1/fakesmsc.out" "$2" "$3"
}

smtp_wait_count() {
	local dir=$1 n=$2 tries=$(($3 * 10)) have
	while :; do
		have=$(find "$dir/mail" -maxdepth 1 -name '*.json' 2>/dev/null | wc -l)
		[ "$have" -ge "$n" ] && return 0
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.1
	done
}

_http_sink_py='
import http.server, json, socketserver, sys, time, urllib.parse as up
port, logpath = int(sys.argv[1]), sys.argv[2]
log = open(logpath, "a", buffering=1, encoding="utf-8")
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive, as Kannel uses it
    def do_GET(self):
        u = up.urlsplit(self.path)
        try:
            q = dict(up.parse_qsl(u.query, keep_blank_values=True, encoding="utf-8", errors="strict"))
        except UnicodeDecodeError:
            q = {"_error": "query is not UTF-8"}
        log.write(json.dumps({"path": u.path, "query": q, "raw": self.path, "t": time.time()},
                             ensure_ascii=False) + "\n")
        body = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
class S(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 1024   # smsbox opens up to max-pending-requests at once
s = S(("127.0.0.1", port), H)
print("http_sink: ready on 127.0.0.1:%d" % port, flush=True)
s.serve_forever()
'

http_sink_start() {
	local dir=$1 port=$2
	mkdir -p "$dir"
	: >"$dir/http_sink.log"
	py_start http_sink "$dir" -c "$_http_sink_py" "$port" "$dir/http_sink.log"
}

# py_start NAME DIR PYTHON_ARGS...: a stand-in server of ours in the
# background, its output in DIR/NAME.out and its PID in DIR/NAME.pid; returns
# once it printed "NAME: ready", or fails (its output shown) if it died or
# took 5 s.
py_start() {
	local name=$1 dir=$2 tries=100
	shift 2
	"$services_py" -u "$@" </dev/null >"$dir/$name.out" 2>&1 &
	echo $! >"$dir/$name.pid"
	until grep -q "^$name: ready" "$dir/$name.out"; do
		tries=$((tries - 1))
		if [ "$tries" -le 0 ] || ! kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
			sed "s/^/# $name: /" "$dir/$name.out" >&2
			return 1
		fi
		sleep 0.05
	done
}

# py_stop NAME DIR: stops what py_start started, by its PID.
py_stop() {
	local name=$1 dir=$2 pid
	[ -f "$dir/$name.pid" ] || return 0
	pid=$(cat "$dir/$name.pid")
	if kill -0 "$pid" 2>/dev/null; then
		kill -TERM "$pid" 2>/dev/null
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
	fi
	rm -f "$dir/$name.pid"
	return 0
}

_http_sink_match_py='
import json, sys, time
path, secs, mode = sys.argv[1], float(sys.argv[2]), sys.argv[3]
want = [a.split("=", 1) for a in sys.argv[4:]]
def matches():
    found = []
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except FileNotFoundError:
        return found
    for line in lines:
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if all((r["path"] if k == "path" else r["query"].get(k)) == v for k, v in want):
            found.append(line)
    return found
if mode == "count":
    print(len(matches()))
    sys.exit(0)
deadline = time.time() + secs
while True:
    m = matches()
    if m:
        print(m[0])
        sys.exit(0)
    if time.time() >= deadline:
        sys.exit(1)
    time.sleep(0.1)
'

http_sink_wait() {
	local dir=$1 secs=$2
	shift 2
	"$services_py" -c "$_http_sink_match_py" "$dir/http_sink.log" "$secs" wait "$@"
}

http_sink_count() {
	local dir=$1
	shift
	"$services_py" -c "$_http_sink_match_py" "$dir/http_sink.log" 0 count "$@"
}

http_sink_stop() {
	py_stop http_sink "$1"
}
