#!/usr/bin/env bash
# Columns are measured in display cells, in both languages: on the account
# screen in Spanish, history rows with "SMS ←", "Dejó mensaje", "Número
# equivocado", "asignación" and bodies in Japanese and emoji keep the agent
# and the text in the same cells as plain rows; the worklist's accented names
# keep the numbers after them in line. A column padded by bytes ("%-13s")
# puts each accented letter's second byte into the next column.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
scratch=$(mktemp -d)
trap 'tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -rf "$E2E_CONF" "$scratch"; [ -n "${made:-}" ] && q "delete from cobro.event where body like '"'"'e2e-columns %'"'"'" >/dev/null' EXIT

# The cell a string's characters start at, as a terminal lays them out:
# wide characters take two cells, combining marks and joiners none.
cat >"$scratch/cells.py" <<'PY'
import re, sys, unicodedata

def cells(s):
    n = 0
    for c in s:
        if unicodedata.combining(c) or unicodedata.category(c) in ('Mn', 'Me', 'Cf'):
            continue
        n += 2 if unicodedata.east_asian_width(c) in ('W', 'F') else 1
    return n

def column_of(line, needle):
    i = line.find(needle)
    return -1 if i < 0 else cells(line[:i])

mode = sys.argv[1]
lines = sys.stdin.read().splitlines()
if mode == 'history':
    # Rows of this test: the cell the agent starts at and the cell the text
    # starts at, one pair per row; all rows must agree.
    rows = [l for l in lines if 'e2e-columns' in l]
    print(len(rows), sorted({(column_of(l, ' carla '), column_of(l, 'e2e-columns')) for l in rows}))
elif mode == 'worklist':
    # Each row's days past due ends in the same cell (the first number
    # after the name; names have no digits).
    ends = set()
    for l in lines[2:]:
        m = re.match(r'^(\D+?)\s+(\d+)\s', l)
        if m:
            ends.add(cells(l[:m.end(2)]))
    print(sorted(ends))
PY

# One of carla's accounts, and history rows of every width, written as this
# test's own (deleted when it ends).
read -r id ref debtor <<<"$(q "select a.id, a.reference, a.debtor_id from cobro.account a
	join cobro.agent g on g.id = a.agent_id join cobro.debtor d on d.id = a.debtor_id
	where g.login = 'carla' and a.status = 'active' and d.state = 'active' order by a.id limit 1" | tr '|' ' ')"
carla=$(q "select id from cobro.agent where login = 'carla'")
made=1
q "insert into cobro.event (at, account_id, debtor_id, agent_id, kind, direction, outcome, body) values
   (now() - interval '1 second', $id, $debtor, $carla, 'call', 'out', 'right_party', 'e2e-columns plain'),
   (now() - interval '2 seconds', $id, $debtor, $carla, 'sms', 'in', 'received', 'e2e-columns Ya pagué ayer 🙂'),
   (now() - interval '3 seconds', $id, $debtor, $carla, 'call', 'out', 'left_message', 'e2e-columns Dejé recado con la señora Núñez'),
   (now() - interval '4 seconds', $id, $debtor, $carla, 'call', 'out', 'wrong_number', 'e2e-columns お支払いについて'),
   (now() - interval '5 seconds', $id, $debtor, $carla, 'assignment', null, 'moved', 'e2e-columns Asignada a carla 👩‍💻'),
   (now() - interval '6 seconds', $id, $debtor, $carla, 'whatsapp', 'in', 'received', 'e2e-columns José (e + ◌́)')" >/dev/null

app_start es "env LANGUAGE=es $(cobro_cmd carla)" 120 35
wait_for es "cuentas por gestionar" >/dev/null
out=$(screen es | python3 "$scratch/cells.py" worklist)
check "worklist, Spanish: every row's days past due end in the same cell ($out)" \
	bash -c '[[ "$1" =~ ^\[[0-9]+\]$ ]]' _ "$out"
keys es /
text es "$ref"
keys es Enter
wait_for es "1 cuenta coincide" >/dev/null
keys es Enter
check "the account opens in Spanish" wait_screen es "Historial"
wait_screen es "e2e-columns José" >/dev/null
for word in "SMS ←" "WhatsApp ←" "Dejó mensaje" "Número equivocado" "asignación"; do
	check "\"$word\" is shown whole" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t es | grep 'e2e-columns' | grep -qF -- '$word'"
done
out=$(screen es | python3 "$scratch/cells.py" history)
check "six history rows, their agent and text each in one cell for all ($out)" \
	bash -c '[[ "$1" =~ ^6\ \[\([0-9]+,\ [0-9]+\)\]$ ]]' _ "$out"

# At 80 columns the text is cut with "…" at the edge, still in line.
tm resize-window -t es -x 80 -y 24
wait_screen es "e2e-columns" >/dev/null
sleep 0.3
out=$(screen es | python3 "$scratch/cells.py" history)
check "at 80 columns the rows still line up ($out)" bash -c '[[ "$1" =~ ^[1-6]\ \[\([0-9]+,\ [0-9]+\)\]$ ]]' _ "$out"
check "and none passes the edge" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t es | python3 -c '
import sys, unicodedata
def cells(s):
    return sum(0 if unicodedata.combining(c) or unicodedata.category(c) in (\"Mn\", \"Me\", \"Cf\") else 2 if unicodedata.east_asian_width(c) in (\"W\", \"F\") else 1 for c in s)
sys.exit(any(cells(l) > 80 for l in sys.stdin.read().splitlines()))'"
keys es Escape
keys es q
check "quits cleanly" wait_for es "[exit=0]"
finish
