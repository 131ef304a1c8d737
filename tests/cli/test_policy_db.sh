#!/usr/bin/env bash
# Contact policy versions in the database (cobroctl policy load/show) and
# checks of real accounts (cobroctl policy check --account), as real people.
. "$(dirname "$0")/tap.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
ctl() { run "$bindir/cobroctl" --database "dbname=cobro" --user "$1" "${@:2}"; }
versions() { q "select count(*) from cobro.contact_policy"; }

# Each run starts from no policy, so version numbers below are the run's own.
q "truncate cobro.contact_policy restart identity" >/dev/null

ctl admin policy show
check "show before any load says none is loaded" grep -qF "no contact policy is loaded" <<<"$err"

ctl ana policy load "$top/etc/policy.conf"
check "a collector cannot load rules" test "$rc" != 0 -a "$(versions)" = 0

audit_before=$(q "select coalesce(max(id), 0) from cobro.audit")

# Someone listening hears of a new version at once.
psql -X -U postgres -d cobro -c "LISTEN cobro_policy" -c "select pg_sleep(3)" >"$scratch/listen.out" 2>&1 &
listener=$!
sleep 0.5
ctl admin policy load "$top/etc/policy.conf"
check "admin loads etc/policy.conf as version 1" test "$out" = "stored contact policy version 1"
wait "$listener"
# Without the version: anyone may LISTEN; what changed is read under row
# security (tests/cli/test_notifications.sh).
check "a LISTEN cobro_policy session is notified of the new version, with no payload" \
	grep -qE '^Asynchronous notification "cobro_policy" received from server process' "$scratch/listen.out"
check "who loaded it and when are recorded" test "$(q "select loaded_by || ' ' || (loaded_at > now() - interval '1 minute') from cobro.contact_policy where version = 1")" = "admin true"
check "the holiday calendars' rules are stored with the rules, every file" \
	test "$(q "select regexp_count(holidays, '^# [A-Z-]+\\.conf$', 1, 'n') || ' ' || (holidays like '%# CO.conf%CO = {%from = 1984;%')
	           from cobro.contact_policy where version = 1")" = "$(ls "$top"/etc/holidays/*.conf | wc -l) true"
check "the load is audited" test "$(q "select count(*) from cobro.audit where tbl = 'contact_policy' and row_id = 1 and id > $audit_before")" = 1

# Loosening a locked rule is refused and stores nothing.
sed 's/saturday = "08:00-15:00"/saturday = "08:00-16:00"/' "$top/etc/policy.conf" >"$scratch/loose.conf"
ln -s "$top/etc/holidays" "$scratch/holidays"
ctl admin policy load "$scratch/loose.conf"
check "loosening CO-HOURS is refused" grep -qF "rule CO-HOURS is locked and may only be tightened: it allows more hours on saturday" <<<"$err"
check "and nothing was stored" test "$(versions)" = 1
sed '/id = "US-COOLOFF"/,/per = "debt"; }/d; s/^\(.*US-7IN7.*\)$/\1/' "$top/etc/policy.conf" >"$scratch/removed.conf"
sed -i 's/max = 7; window = "rolling"; days = 7; per = "debt"; counts = \["placed"\]; },/max = 7; window = "rolling"; days = 7; per = "debt"; counts = ["placed"]; }/' "$scratch/removed.conf"
ctl admin policy load "$scratch/removed.conf"
check "removing a locked rule is refused" grep -qF "rule US-COOLOFF (US) is locked: it cannot be removed" <<<"$err"
sed '/id = "PE-HOURS"/s/locked = true;/locked = false;/' "$top/etc/policy.conf" >"$scratch/unlocked.conf"
ctl admin policy load "$scratch/unlocked.conf"
check "unlocking a locked rule is refused" grep -qF "rule PE-HOURS is locked: it cannot be unlocked" <<<"$err"
sed 's/max = 7; window = "rolling"/max = 8; window = "rolling"/' "$top/etc/policy.conf" >"$scratch/cap.conf"
ctl admin policy load "$scratch/cap.conf"
check "raising a locked cap is refused" grep -qF "rule US-7IN7 is locked and may only be tightened: max 8 is more than 7" <<<"$err"
check "none of them stored anything" test "$(versions)" = 1

# A file with an impossible rule stores nothing either.
sed 's/weekdays = "07:00-20:00"/weekdays = "20:00-07:00"/' "$top/etc/policy.conf" >"$scratch/bad.conf"
ctl admin policy load "$scratch/bad.conf"
check "an impossible window is refused with FILE:LINE" grep -qE "bad.conf:[0-9]+: weekdays: 20:00-07:00 ends before it starts" <<<"$err"
check "and stores nothing" test "$(versions)" = 1

# Tightening is allowed, and the diff is kept.
sed 's/saturday = "08:00-15:00"/saturday = "09:00-14:00"/' "$top/etc/policy.conf" >"$scratch/tight.conf"
ctl admin policy load "$scratch/tight.conf"
check "tightening CO-HOURS is stored as version 2" test "$out" = "stored contact policy version 2"
check "the diff against version 1 names the changed line" test "$(q "select diff like '%-%saturday = \"08:00-15:00\"%+%saturday = \"09:00-14:00\"%' from cobro.contact_policy where version = 2")" = t

ctl ana policy show CO
check "show CO prints the version in force" grep -qF "contact policy version 2, loaded" <<<"$out"
check "show CO lists the tightened hours" grep -qE "CO-HOURS +hours .*sat 09:00-14:00" <<<"$out"
check "show CO lists the inherited rules" grep -qE "ALL-CONSENT .*\(inherited\)" <<<"$out"
check "show CO names sources and locks" grep -qE "CO-DAY .*\[Ley 2300 de 2023, art. 3\] locked" <<<"$out"
ctl ana policy show XX
check "show of an unknown jurisdiction is refused" test "$rc" = 2
ctl ana policy show US-MA
check "show US-MA names the calendars it uses and their years" \
	grep -qF "US-MA  Massachusetts  inherits US  (holidays: US-MA rules from 2021; US rules from 2021)" <<<"$out"
ctl ana policy show AR
check "show AR says its decrees' years" \
	grep -qF "(holidays: AR rules from 2018 and yearly decrees for 2026-2027)" <<<"$out"

# ---- the database itself refuses what cobroctl would (issue 14, line 3):
# the admin's own credentials in psql, straight into the table.
admin_insert() { psql -X -qAt -U admin -d cobro -v text="$(cat "$1")" -v hol="$(q "select holidays from cobro.contact_policy where version = 2")" \
	<<<"insert into cobro.contact_policy (text, holidays, diff) values (:'text', :'hol', '') returning version" 2>&1; }
sed 's/max = 2; window = "rolling"; days = 7; per = "debt"; counts = \["attempt", "sent"\]/max = 1000; window = "rolling"; days = 7; per = "debt"; counts = ["attempt", "sent"]/' \
	"$scratch/tight.conf" >"$scratch/ma1000.conf"
ma_cap() { grep -E "US-MA-2IN7 " <<<"$1"; }
res=$(admin_insert "$scratch/ma1000.conf")
check "admin in psql: a version raising the locked Massachusetts cap 2 -> 1000 is refused by the database" \
	grep -qF "contact policy refused: rule US-MA-2IN7 is locked and may only be tightened: max 1000 is more than 2" <<<"$res"
res=$(admin_insert "$scratch/bad.conf")
check "admin in psql: a version that does not parse is refused, with the parser's FILE:LINE" \
	grep -qE "contact policy refused: contact_policy:[0-9]+: weekdays: 20:00-07:00 ends before it starts" <<<"$res"
printf 'this is { not rules' >"$scratch/garbage.conf"
res=$(admin_insert "$scratch/garbage.conf")
check "admin in psql: unparseable text is refused" grep -qF "contact policy refused: contact_policy:1:" <<<"$res"
check "none of them was stored" test "$(versions)" = 2
res=$(psql -X -qAt -U admin -d cobro -c "update cobro.contact_policy set text = text where version = 2" 2>&1)
check "admin cannot change a stored version" grep -qF "permission denied for table contact_policy" <<<"$res"
res=$(q "update cobro.contact_policy set text = text where version = 2" 2>&1)
check "not even a superuser: versions are never changed" grep -qF "contact policy versions are never changed nor removed" <<<"$res"
res=$(q "delete from cobro.contact_policy where version = 2" 2>&1)
check "nor removed" test "$(versions)" = 2 -a -n "$res"
ctl ana policy show US-MA
check "policy show tells the truth: the version in force, the Massachusetts cap of 2, locked" \
	test "$(head -n 1 <<<"$out" | cut -d, -f1)" = "contact policy version 2" -a -n "$(ma_cap "$out" | grep -E 'at most 2 .*locked')"
# A version stored before the database checked them (a loosened one, then
# one that does not parse): history, never in force, and the next load works.
q "alter table cobro.contact_policy disable trigger contact_policy_guard;
   insert into cobro.contact_policy (text, holidays, diff) select '$(sed "s/'/''/g" "$scratch/ma1000.conf")', holidays, '' from cobro.contact_policy where version = 2;
   insert into cobro.contact_policy (text, holidays, diff) values ('this is { not rules', '', '');
   alter table cobro.contact_policy enable trigger contact_policy_guard" >/dev/null
ctl ana policy show US-MA
check "with bad versions stored behind the database's back, show still gives version 2 and the cap of 2" \
	test "$(head -n 1 <<<"$out" | cut -d, -f1)" = "contact policy version 2" -a -n "$(ma_cap "$out" | grep -E 'at most 2 ')"
ctl admin policy load "$scratch/tight.conf"
check "policy load after them still works (it compares with version 2, the newest accepted)" \
	grep -qE "^stored contact policy version [0-9]+$" <<<"$out"
ctl admin policy load "$scratch/ma1000.conf"
check "and still refuses the loosened cap" grep -qF "rule US-MA-2IN7 is locked and may only be tightened" <<<"$err"
check "every version stored since the check is accepted, the bad ones are not" \
	test "$(q "select string_agg(accepted::text, ' ' order by version) from cobro.contact_policy")" = "true true false false true"

# ---- the holidays of the version in force, as the engine uses them
ctl ana policy holidays CO 2028
check "policy holidays reads the version in force (as a collector)" test "$rc" = 0 -a "$(grep -c . <<<"$out")" = 19
run "$bindir/cobroctl" policy holidays CO 2028 --rules "$top/etc/policy.conf"
check "and gives what the rules file gives" test "$out" = "$(ctl ana policy holidays CO 2028; echo "$out")"
ctl ana policy holidays AR 2029
check "an unknown calendar in the version in force: exit 1 and why" \
	test "$rc" = 1 -a "$err" = "cobroctl: no holiday calendar for AR 2029"

# ---- policy check --account on real rows (made here, removed at the end)
q "
delete from cobro.event where debtor_id in (select id from cobro.debtor where national_id like 'TPOL-%');
delete from cobro.account where reference like 'TPOL-%';
delete from cobro.contact_point where debtor_id in (select id from cobro.debtor where national_id like 'TPOL-%');
delete from cobro.debtor where national_id like 'TPOL-%';
with d as (insert into cobro.debtor (name, first_name, national_id, jurisdiction, time_zone)
           values ('Nicolás Peña', 'Nicolás', 'TPOL-CO', 'CO', 'America/Bogota'),
                  ('Mary Smith', 'Mary', 'TPOL-US', 'US', 'America/Los_Angeles') returning id, national_id)
insert into cobro.contact_point (debtor_id, kind, value, consent)
select id, 'mobile', case national_id when 'TPOL-CO' then '+573001234567' else '+12125550147' end,
       '{call,sms,whatsapp}' from d;
insert into cobro.account (debtor_id, creditor_id, product, reference, currency, balance, team_id, agent_id)
select d.id, (select min(id) from cobro.creditor), 'card', r.ref, 'COP', 100000,
       (select team_id from cobro.agent where login = r.who), (select id from cobro.agent where login = r.who)
from cobro.debtor d
join (values ('TPOL-CO', 'TPOL-ANA', 'ana'), ('TPOL-CO', 'TPOL-LUIS', 'luis'), ('TPOL-US', 'TPOL-US1', 'ana'))
     r(nid, ref, who) on r.nid = d.national_id;" >/dev/null

ctl ana policy check --account TPOL-ANA --channel sms --at 2027-01-03T10:00:00-05:00
check "--account: a Sunday in Colombia is refused (exit 1)" test "$rc" = 1
check "--account: with the rule and next allowed time" test "$out" = \
	"refused CO-HOURS: no contact on Sunday (debtor's local time 10:00, America/Bogota); next allowed 2027-01-04T07:00-05:00"
ctl ana policy check --account TPOL-ANA --channel sms --at 2027-01-05T10:00:00-05:00
check "--account: a Tuesday morning is allowed (exit 0)" test "$rc" = 0 -a "$out" = allowed
ctl ana policy check --account TPOL-ANA --channel email --at 2027-01-05T10:00:00-05:00
check "--account: no email address means no consent for email" grep -qF "refused ALL-CONSENT" <<<"$out"
ctl luis policy check --account TPOL-ANA --channel sms
check "--account: luis cannot check ana's account (exit 2)" test "$rc" = 2
check "--account: and is told it is not his to see" grep -qF "no account \"TPOL-ANA\" (or not yours to see)" <<<"$err"

# A conversation on luis's account of the same person counts for ana's too.
q "insert into cobro.event (at, account_id, debtor_id, agent_id, kind, direction, outcome)
   select '2027-01-05 09:00-05', a.id, a.debtor_id, a.agent_id, 'call', 'out', 'right_party'
   from cobro.account a where reference = 'TPOL-LUIS'" >/dev/null
ctl ana policy check --account TPOL-ANA --channel whatsapp --at 2027-01-05T10:00:00-05:00
check "--account: a conversation on a colleague's account of the same person counts (CO-DAY)" \
	grep -qF "refused CO-DAY: at most 1 conversation per calendar day with this person (1 already)" <<<"$out"

# A US number's area code is a candidate time zone.
ctl ana policy check --account TPOL-US1 --channel sms --at 2026-11-24T20:30:00-08:00
check "--account: Los Angeles address, 212 mobile: 20:30 Pacific is refused in New York" \
	grep -qF "refused US-HOURS: outside the allowed hours: Tuesday 08:00-21:00 (debtor's local time 23:30, America/New_York); next allowed 2026-11-25T08:00-08:00" <<<"$out"

# Christmas 2028, computed from the stored calendar's rules.
ctl ana policy check --account TPOL-ANA --channel sms --at 2028-12-25T10:00:00-05:00
check "--account: Christmas 2028 in Colombia is refused as a holiday" test "$out" = \
	"refused CO-HOURS: no contact on a holiday (debtor's local time 10:00, America/Bogota); next allowed 2028-12-26T07:00-05:00"

# The debtor's opt-out of SMS on their only mobile is honoured.
q "update cobro.contact_point set opted_out = '{sms}', opted_out_at = now()
   where debtor_id = (select id from cobro.debtor where national_id = 'TPOL-CO')" >/dev/null
ctl ana policy check --account TPOL-ANA --channel sms --at 2027-01-06T10:00:00-05:00
check "--account: an opted-out number is refused for SMS" grep -qF "refused ALL-OPTOUT: the debtor opted out of SMS" <<<"$out"

q "
delete from cobro.event where debtor_id in (select id from cobro.debtor where national_id like 'TPOL-%');
delete from cobro.account where reference like 'TPOL-%';
delete from cobro.contact_point where debtor_id in (select id from cobro.debtor where national_id like 'TPOL-%');
delete from cobro.debtor where national_id like 'TPOL-%';" >/dev/null

# ---- a version stored before calendars had rules: dated lines of 2026-2027,
# as cobroctl stored them then (made here from the files it read). It is the
# first version here: it keeps Saturday 08:00-15:00, which versions 2 and 5
# tightened, so the database would refuse it after them.
q "truncate cobro.contact_policy restart identity" >/dev/null
legacy=$(for f in "$top"/tests/holidays/legacy/*.txt; do
	n=$(basename "$f" .txt); grep -v '^#' "$f" | sed "s/^/${n%-*} /"; done)
psql -X -qAt -U postgres -d cobro -v text="$(cat "$top/etc/policy.conf")" -v hol="$legacy" \
	<<<"insert into cobro.contact_policy (text, holidays, diff) values (:'text', :'hol', '')" >/dev/null
old=$(versions)
ctl ana policy holidays CO 2026
check "an old version still gives its dated holidays" \
	test "$rc" = 0 -a "$out" = "$(grep -v '^#' "$top/tests/holidays/legacy/CO-2026.txt")"
ctl ana policy holidays CO 2028
check "and knows no year it has no dates for: 2028 is unknown, not free of holidays" \
	test "$rc" = 1 -a "$err" = "cobroctl: no holiday calendar for CO 2028"
ctl ana policy show CO
check "show says which years the old version knows" grep -qF "(holidays: CO dates for 2026-2027)" <<<"$out"
# Its successor with computed calendars keeps every dated holiday: stored.
ctl admin policy load "$top/etc/policy.conf"
check "loading computed calendars over the dated ones passes the lock check" \
	test "$rc" = 0 -a "$out" = "stored contact policy version $((old + 1))"
# A locked hours rule keeps its holidays in every year both versions know.
mkdir -p "$scratch/dropped/holidays"
cp "$top/etc/policy.conf" "$scratch/dropped/"
cp "$top"/etc/holidays/*.conf "$scratch/dropped/holidays/"
sed -i '/name = "La Inmaculada Concepción"; date = "12-08"/d' "$scratch/dropped/holidays/CO.conf"
ctl admin policy load "$scratch/dropped/policy.conf"
check "a calendar without 8 December is refused: it loosens CO-HOURS" \
	grep -qF "the holiday 1984-12-08 of CO is removed, which loosens its locked hours" <<<"$err"
check "and nothing is stored" test "$(versions)" = "$((old + 1))"
finish
