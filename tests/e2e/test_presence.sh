#!/usr/bin/env bash
# Issue 17, line 1: the workstation reports who is logged in, on which
# screen and account, and since when. ana's workstation beats on the
# worklist, on an account (the visit is kept when she leaves it), and is
# offline the moment she quits; sofia (her supervisor) reads it, diego
# (another team's collector) does not.
set -u
. "$(dirname "$0")/lib.sh"
q() { psql -X -qAt -U postgres -d cobro -c "$1"; }
ana_is() { [ "$(q "select p.screen || ':' || coalesce(a.reference, '-') from cobro.presence p
                   join cobro.agent g on g.id = p.agent_id left join cobro.account a on a.id = p.account_id
                   where g.login = 'ana' and p.expires_at > now()")" = "$1" ]; }
visits() { q "select count(*) from cobro.account_visit v join cobro.agent g on g.id = v.agent_id where g.login = 'ana'"; }

before=$(visits)
app_start a "$(cobro_cmd ana)" 100 30
wait_for a "accounts to work" >/dev/null
check "ana on the worklist: her presence says so" eventually 5 ana_is "worklist:-"
check "  sofia, her supervisor, reads it" \
	test "$(sql_as sofia "select screen || ' ' || online from cobro.presence_now() where login = 'ana'")" = "worklist true"
check "  diego, another collector, does not" \
	test "$(sql_as diego "select count(*) from cobro.presence_now() where login = 'ana'")" = 0

keys a Enter
wait_for a "History (newest first)" >/dev/null
ref=$(screen a | sed -n 2p | sed 's/.*·  //; s/ *$//')
check "she opens $ref: her presence is on it" eventually 5 ana_is "account:$ref"
check "  sofia sees which account" \
	test "$(sql_as sofia "select reference from cobro.presence_now() where login = 'ana'")" = "$ref"
keys a s
check "  the send screen above the account is on the account too" eventually 5 ana_is "send:$ref"
keys a Escape
check "  back on the account" eventually 5 ana_is "account:$ref"
keys a Escape
check "back on the worklist: no account" eventually 5 ana_is "worklist:-"
check "  the visit to $ref is kept (time per account)" test "$(visits)" = $((before + 1))

keys a q
wait_for a "[exit=0]" >/dev/null
check "she quits: offline at once" eventually 5 test "$(q "select count(*) from cobro.presence p join cobro.agent g on g.id = p.agent_id where g.login = 'ana'")" = 0
finish
