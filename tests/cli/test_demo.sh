#!/usr/bin/env bash
# cobroctl demo: deterministic, realistic, and the portfolio make check loaded
# (2,000 accounts, seed 7) has what the demo promises.
. "$(dirname "$0")/tap.sh"

# ---- the same seed and anchor give the same bytes; another seed does not
run "$bindir/cobroctl" demo --dump-only --dump "$scratch/a" --anchor 2026-11-01 --accounts 300 --seed 5 --quiet
check "demo --dump-only writes the COPY files without a database" test "$rc" = 0 -a -f "$scratch/a/account.copy"
run "$bindir/cobroctl" demo --dump-only --dump "$scratch/b" --anchor 2026-11-01 --accounts 300 --seed 5 --quiet
check "the same seed and anchor give byte-identical data" diff -r "$scratch/a" "$scratch/b"
run "$bindir/cobroctl" demo --dump-only --dump "$scratch/c" --anchor 2026-11-01 --accounts 300 --seed 6 --quiet
check "another seed gives other data" bash -c "! diff -q '$scratch/a/debtor.copy' '$scratch/c/debtor.copy' >/dev/null"
check "load.sql loads the files with psql \\copy" grep -qF '\copy cobro.account' "$scratch/a/load.sql"
run "$bindir/cobroctl" demo --dump-only --accounts 300
check "--dump-only without --dump is refused" test "$rc" != 0

# ---- every number is one the imports and the send screen take as written
# (valid as libphonenumber says, in its E.164): the portfolio make check loads.
run "$bindir/cobroctl" demo --dump-only --dump "$scratch/n" --anchor 2026-12-07 --accounts 2000 --seed 7 --quiet
awk -F'\t' '$3 ~ /^(mobile|phone|whatsapp)$/ {print $4}' "$scratch/n/contact_point.copy" >"$scratch/numbers"
"$bindir/cobroctl" phone normalize - <"$scratch/numbers" >"$scratch/normalized"
bad=$(paste "$scratch/numbers" "$scratch/normalized" | awk -F'\t' '$1 != $2' | head -n 5)
check "the demo's $(wc -l <"$scratch/numbers") phone numbers are valid and in E.164${bad:+: $bad}" \
	test -z "$bad" -a "$(wc -l <"$scratch/numbers")" -gt 1000

# ---- a progress bar on a terminal (and none without one, as above)
if command -v tmux >/dev/null; then
	sock="cobro-demo-$$"
	tmux -L "$sock" -f /dev/null new-session -d -x 100 -y 10 -e LANG=C.UTF-8 \
		"$bindir/cobroctl demo --dump-only --dump '$scratch/t' --accounts 100000 --seed 3; sleep 5"
	seen=0
	for i in $(seq 100); do
		tmux -L "$sock" capture-pane -p | grep -qE '^demo \[#* *\] +[0-9]+%' && { seen=1; break; }
		sleep 0.05
	done
	tmux -L "$sock" kill-server 2>/dev/null
	check "on a terminal, demo draws a progress bar" test "$seen" = 1
fi

# ---- migrations are safe to re-run
run "$bindir/cobroctl" --database "dbname=cobro user=postgres" init
check "init on a current schema applies nothing" grep -qF "(0 applied now)" <<<"$out"
run "$bindir/cobroctl" --database "dbname=cobro user=postgres" migrate --status
check "migrate --status says current (exit 0)" test "$rc" = 0

# ---- the loaded portfolio (tests/run.sh: --accounts 2000 --seed 7)
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
# The database suite adds its own fixtures (references TFX-...); the demo's are the rest.
demo_accounts="select count(*) from cobro.account where reference not like 'TFX-%'"
check "2,000 accounts were loaded" test "$(q "$demo_accounts")" = 2000
for who in "ana collector norte" "luis collector norte" "carla collector sur" "diego collector sur" \
           "sofia supervisor norte" "marta lead norte" "admin admin -"; do
	set -- $who
	check "$1 is a $2 of team $3, and a LOGIN role in cobro_$2" test "$(q "
		select a.role || ' ' || coalesce(t.code, '-') || ' ' || r.rolcanlogin
		       || ' ' || pg_has_role(a.login, 'cobro_' || a.role, 'MEMBER')
		from cobro.agent a left join cobro.team t on t.id = a.team_id
		join pg_roles r on r.rolname = a.login where a.login = '$1'")" = "$2 $3 true true"
done
for name in Núñez Muñoz Peña Ibáñez; do
	check "debtors named $name (accents and ñ kept)" test "$(q "select count(*) > 0 from cobro.debtor where name like '%$name%'")" = t
done
check "English names too (US debtors in English)" test "$(q "select count(*) > 0 from cobro.debtor where jurisdiction like 'US%' and language = 'en'")" = t
for j in PE MX CO CL ES US; do
	check "debtors in $j" test "$(q "select count(*) > 0 from cobro.debtor where jurisdiction = '$j'")" = t
done
check "each jurisdiction's debtors live in its time zones" test "$(q "
	select count(*) from cobro.debtor where not (
	   (jurisdiction = 'PE' and time_zone = 'America/Lima') or (jurisdiction = 'CO' and time_zone = 'America/Bogota')
	or (jurisdiction = 'CL' and time_zone = 'America/Santiago') or (jurisdiction = 'ES' and time_zone = 'Europe/Madrid')
	or (jurisdiction = 'MX' and time_zone like 'America/%') or (jurisdiction like 'US%' and time_zone like 'America/%'))")" = 0
check "mobiles are E.164 and emails lower case" test "$(q "
	select count(*) from cobro.contact_point where (kind = 'mobile' and value !~ '^\+[1-9][0-9]{7,14}$')
	or (kind = 'email' and value <> lower(value))")" = 0
check "several currencies, money in minor units" test "$(q "select count(distinct currency) >= 5 from cobro.account")" = t
check "several products and segments" test "$(q "select count(distinct product) >= 3 and count(distinct segment) >= 3 from cobro.account")" = t
check "installments and payments" test "$(q "select (select count(*) from cobro.installment) > 0 and (select count(*) from cobro.payment) > 0")" = t
for k in call sms email whatsapp letter visit note; do
	check "history has $k events" test "$(q "select count(*) > 0 from cobro.event where kind = '$k'")" = t
done
check "history spans about 60 days" test "$(q "select max(at)::date - min(at)::date between 55 and 61 from cobro.event")" = t
for s in kept broken pending; do
	check "promises $s" test "$(q "select count(*) > 0 from cobro.promise where status = '$s'")" = t
done
check "scores are spread over 0..1000" test "$(q "select min(score) < 300 and max(score) > 700 from cobro.account")" = t
check "about 20 events per account at scale (here: between 10 and 30)" test "$(q "select (select count(*) from cobro.event) / 2000 between 10 and 30")" = t
run "$bindir/cobroctl" --database "dbname=cobro user=postgres" demo --accounts 100
check "loading again without --replace is refused" test "$rc" != 0
check "and says why" grep -qi "replace" <<<"$err"
check "and changed nothing" test "$(q "$demo_accounts")" = 2000
finish
