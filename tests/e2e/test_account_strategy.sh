#!/usr/bin/env bash
# Issue 18, line 8: the account screen says where the account stands in its
# strategy (account_strategy, read through the account document): segment,
# variant, ladder, state and why, the last step and when, the next step and
# on which day, at 80x24 and 120x35, in English and Spanish; an account no
# run has placed shows a dash, not an error. The row is a fixture written
# as postgres, as a run writes it; the rows here (a team, a collector, two
# debtors and their accounts) are the test's own.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -v ON_ERROR_STOP=1 -U postgres -d cobro -c "$1"; }
ctl() { "$COBRO_BIN/cobroctl" --database "dbname=cobro" "$@"; }

tag=s$$
version=
# The test's debtors, by their accounts' references (mk runs in a subshell).
debtors="select debtor_id from cobro.account where reference like 'STR-$tag-%'"
cleanup() {
	q "delete from cobro.account_strategy where account_id in (select id from cobro.account where reference like 'STR-$tag-%');
	   delete from cobro.lease where account_id in (select id from cobro.account where reference like 'STR-$tag-%');
	   delete from cobro.event where debtor_id in ($debtors);
	   create temp table gone as $debtors;
	   delete from cobro.account where debtor_id in (select debtor_id from gone);
	   delete from cobro.contact_point where debtor_id in (select debtor_id from gone);
	   delete from cobro.debtor where id in (select debtor_id from gone)" >/dev/null 2>&1
	[ -n "$version" ] && q "delete from cobro.strategy_version where version = $version" >/dev/null 2>&1
}
trap 'cleanup; tmux -L "$E2E_SOCK" kill-server 2>/dev/null; rm -f "$E2E_CONF"' EXIT

ctl --user admin team add "st$tag" --name "Strategy $tag" >/dev/null
ctl --user admin agent add "stc$tag" --name "Sara Tello" --role collector --team "st$tag" >/dev/null
if [ "$(q "select count(*) from cobro.contact_policy")" = 0 ]; then
	ctl --user admin policy load "$COBRO_TOP/etc/policy.conf" >/dev/null
fi
mk() { # REFERENCE: a debtor in Lima with one mobile, and its account, the collector's
	local d
	d=$(q "insert into cobro.debtor (name, first_name, language, jurisdiction, time_zone)
	       values ('Rosa Quispe $1', 'Rosa', 'es', 'PE', 'America/Lima') returning id")
	q "insert into cobro.contact_point (debtor_id, kind, value, consent, is_primary)
	   values ($d, 'mobile', '+5199$(printf '%07d' $((RANDOM * 7 + $$ % 1000)))', '{call,sms}', true)" >/dev/null
	q "insert into cobro.account (debtor_id, creditor_id, product, reference, currency, balance, past_due,
	       oldest_due, team_id, agent_id)
	   select $d, (select min(id) from cobro.creditor), 'card', '$1', 'PEN', 250000, 40000, current_date - 6,
	          (select id from cobro.team where code = 'st$tag'), (select id from cobro.agent where login = 'stc$tag')
	   returning id"
}
placed=$(mk "STR-$tag-A")
unplaced=$(mk "STR-$tag-B")
version=$(q "insert into cobro.strategy_version (file, text, digest) values ('e2e-strategy.conf', '', 'e2e')
             returning version")
q "insert into cobro.account_strategy (account_id, version, segment, ladder, variant, state, state_reason,
       last_step, last_step_at, next_step, next_step_on)
   values ($placed, $version, 'early', 'retail', 'A', 'paused', 'promise', 'dpd1', '2026-11-20 14:00Z',
           'dpd5', '2026-11-25')" >/dev/null
check "the fixture: one account placed (early/A, retail, paused by a promise), one not" test -n "$unplaced"

# open SESSION LANG COLS ROWS REFERENCE: the collector's workstation on the account.
open() {
	app_start "$1" "env LANGUAGE=$2 $(cobro_cmd "stc$tag")" "$3" "$4"
	wait_for "$1" "Rosa Quispe" >/dev/null
	keys "$1" /
	text "$1" "$5"
	keys "$1" Enter
	sleep 0.3
	keys "$1" Enter
	wait_screen "$1" "$5 " >/dev/null
}
# The header's seventh line (the screen's line 7: the title bar is line 1).
strategy_row() { screen "$1" | sed -n 7p; }

open en en 80 24 "STR-$tag-A"
# 80 columns leave no room for the word "Strategy" in English: the line
# starts with what it says.
check "English, 80x24: the strategy line shows the segment and variant, and the ladder" \
	eventually 5 line_has en 7 "early/A → retail"
row=$(strategy_row en)
check "  paused, and why: a promise" grep -qF "paused (promise)" <<<"$row"
check "  the last step and its day" grep -qF "last dpd1 Nov 20" <<<"$row"
check "  the next step and its day" grep -qF "next dpd5 Nov 25" <<<"$row"
check "  within 80 columns, nothing cut" bash -c "[ \$(printf '%s' '$row' | wc -m) -le 80 ] && ! grep -qF '…' <<<'$row'"
open none en 80 24 "STR-$tag-B"
check "an account no run placed shows a dash" eventually 5 line_has none 7 "Strategy —"
if screen none | grep -qi "could not"; then not_ok "  and no error"; else ok "  and no error"; fi

open es es 80 24 "STR-$tag-A"
check "Spanish, 80x24: segmento y variante traducidos, la escalera" eventually 5 line_has es 7 "temprana/A → retail"
row=$(strategy_row es)
check "  pausada por una promesa" grep -qF "pausada (promesa)" <<<"$row"
check "  el último paso y su día" grep -qF "últ. dpd1 20 nov" <<<"$row"
check "  el próximo paso y su día" grep -qF "próx. dpd5 25 nov" <<<"$row"
check "  en 80 columnas, sin cortes" bash -c "[ \$(printf '%s' '$row' | wc -m) -le 80 ] && ! grep -qF '…' <<<'$row'"

open wide en 120 35 "STR-$tag-A"
check "English, 120x35: the days written whole" \
	eventually 5 line_has wide 7 "Strategy early/A → retail · paused (promise) · last dpd1 2026-11-20 · next dpd5 2026-11-25"
finish
