#!/usr/bin/env bash
# Searching and filtering the worklist, what another collector sees, resizing,
# and Spanish screens.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }

# A debtor of ana's with an accented name, and how many of ana's workable
# accounts carry that surname however it is written.
surname=$(q "select s from (values ('Núñez'), ('Muñoz'), ('Peña'), ('Ibáñez')) v(s)
             where exists (select 1 from cobro.account a join cobro.debtor d on d.id = a.debtor_id
                           join cobro.agent g on g.id = a.agent_id
                           where g.login = 'ana' and a.status = 'active' and d.state = 'active' and d.name like '%' || s || '%')
             limit 1")
plain=$(echo "$surname" | sed 's/ú/u/g; s/ñ/n/g; s/á/a/g' | tr 'A-Z' 'a-z')
want=$(q "select count(*) from cobro.account a join cobro.debtor d on d.id = a.debtor_id
          join cobro.agent g on g.id = a.agent_id where g.login = 'ana' and a.status = 'active'
          and d.state = 'active' and lower(unaccent(d.name)) like '%$plain%'")

# A count says one account in the singular (ngettext), any other in the plural.
matches() { if [ "$1" = 1 ]; then echo "1 account matches"; else echo "$1 accounts match"; fi; }

app_start a "$(cobro_cmd ana)" 100 30
wait_for a "accounts to work" >/dev/null
total=$(screen a | grep -oE '^[0-9]+ accounts to work' | cut -d' ' -f1)

# Why the first account ranks first, and its history by channel.
keys a Enter
wait_for a "History (newest first)" >/dev/null
keys a y
check "y explains the rank among her $total accounts" bash -c "sleep 0.5; tmux -L '$E2E_SOCK' capture-pane -p -t a | tail -n 2 | grep -qE '^Rank [0-9]+ of $total: (callback due|promise due or broken|callback due, promise due or broken|no callback or promise due); (then )?.+ x p\(pay\) [0-9.]+ - '"
keys a h
check "h offers the channels" wait_for a "History of"
keys a 2
check "choosing calls narrows the history" wait_for a "History (newest first): call only"
check "and only calls are listed" bash -c "tmux -L '$E2E_SOCK' capture-pane -p -t a | sed -n '/call only/,\$p' | sed '1d;\$d' | grep -E '^[0-9]{4}-' | grep -vqE '^[0-9-]+ [0-9:]+  call '; test \$? -eq 1"
keys a Escape
wait_screen a "EnterOpen" >/dev/null # the worklist again (the status line keeps the rank)
keys a /
text a "$plain"
keys a Enter
check "searching \"$plain\" finds her $want accounts of $surname" wait_for a "$(matches "$want")"
check "and the first row is a $surname" line_has a 3 "$surname"

# Filters: promise state broken (the search cleared first: ^U empties the prompt).
keys a /
keys a C-u
keys a Enter
keys a f
check "f offers the filters" wait_for a "Filter by"
keys a 3
check "the promise filter lists the states" wait_for a "Broken"
broken=$(q "select count(*) from cobro.account a join cobro.debtor d on d.id = a.debtor_id join cobro.agent g on g.id = a.agent_id
            where g.login = 'ana' and a.status = 'active' and d.state = 'active'
            and (select status from cobro.promise p where p.account_id = a.id order by created_at desc, id desc limit 1) = 'broken'")
keys a 4
check "filtering broken promises shows $broken accounts" wait_for a "$(matches "$broken")"
keys a f
keys a 5
check "clearing brings the whole list back" wait_for a "accounts to work"

# Resize to 80x24 and back: the columns follow.
tm resize-window -t a -x 80 -y 24
check "at 80x24 the key bar still fits" wait_for a "?Help"
check "at 80x24 the header still shows the balance" line_matches a 2 'Debtor +DPD +Balance'
tm resize-window -t a -x 120 -y 40
check "back at 120x40 the contacted column shows the time" bash -c "sleep 0.3; tmux -L '$E2E_SOCK' capture-pane -p -t a | sed -n 3,40p | grep -qE '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}'"
keys a q
wait_for a "[exit=0]" >/dev/null

# luis does not see ana's accounts: her surname search gives him only his own.
mine_luis=$(q "select count(*) from cobro.account a join cobro.debtor d on d.id = a.debtor_id
               join cobro.agent g on g.id = a.agent_id where g.login = 'luis' and a.status = 'active'
               and d.state = 'active' and lower(unaccent(d.name)) like '%$plain%'")
app_start l "$(cobro_cmd luis)" 100 30
wait_for l "accounts to work" >/dev/null
keys l /
text l "$plain"
keys l Enter
check "luis searching \"$plain\" sees his own $mine_luis, not ana's $want" wait_for l "$(matches "$mine_luis")"
ref=$(q "select a.reference from cobro.account a join cobro.agent g on g.id = a.agent_id where g.login = 'ana' and a.status = 'active' order by a.id limit 1")
keys l /
keys l C-u
text l "$ref"
keys l Enter
check "luis searching ana's reference $ref finds nothing" wait_for l "0 accounts match"
keys l q

# Spanish, from the language variable.
ref_carla=$(q "select a.reference from cobro.account a join cobro.agent g on g.id = a.agent_id
               join cobro.debtor d on d.id = a.debtor_id
               where g.login = 'carla' and a.status = 'active' and d.state = 'active' order by a.id limit 1")
app_start es "env LANGUAGE=es $(cobro_cmd carla)" 100 30
check "Spanish worklist" wait_for es "cuentas por gestionar"
keys es Enter
check "Spanish account screen" wait_for es "Historial (lo más reciente primero)"
keys es c
check "Spanish call outcomes" wait_for es "Resultado de la llamada"
keys es Escape
keys es '?'
check "Spanish help" wait_for es "Registrar el resultado de una llamada"
keys es Escape
keys es Escape
wait_for es "cuentas por gestionar" >/dev/null
# One account found is said in the singular, in Spanish as in English.
keys es /
text es "$ref_carla"
keys es Enter
check "Spanish: one match is \"1 cuenta coincide\"" wait_for es "1 cuenta coincide ("
# The segment filter takes the segment as the column shows it.
mid=$(q "select count(*) from cobro.account a join cobro.debtor d on d.id = a.debtor_id
         join cobro.agent g on g.id = a.agent_id where g.login = 'carla' and a.status = 'active'
         and d.state = 'active' and a.segment = 'mid'")
keys es /
keys es C-u
keys es Enter
keys es f
wait_for es "Filtrar por" >/dev/null
keys es 2
text es "media"
keys es Enter
check "Spanish: the segment \"media\" filters the mid accounts ($mid)" \
	wait_for es "$(if [ "$mid" = 1 ]; then echo "1 cuenta coincide ("; else echo "$mid cuentas coinciden ("; fi)"
check "  and the column says media" line_matches es 3 ' media *$'
keys es f
keys es 2
check "  and f offers it again as media" wait_screen es "Segmento (vacío para cualquiera): media"
keys es Escape
keys es q
app_start one "$(cobro_cmd carla)" 100 30
wait_for one "accounts to work" >/dev/null
keys one /
text one "$ref_carla"
keys one Enter
check "English: one match is \"1 account matches\"" wait_for one "1 account matches ("
keys one q
finish
