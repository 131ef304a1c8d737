#!/usr/bin/env bash
# Golden screens (as tig's and tmux's regress tests keep them): whole 80x24
# screens compared character for character with tests/e2e/golden/, where the
# layout is the point and the data does not move: the help generated from the
# action table, in English and Spanish, and the login form. Lines that carry
# data (the status line's counts) are masked. Rewrite them on purpose only:
# COBRO_GOLDEN_UPDATE=1 tests/e2e/test_golden.sh, then read the diff.
. "$(dirname "$0")/lib.sh"
: "${COBRO_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"

app_start en "$(cobro_cmd ana)"
wait_for en "accounts to work" >/dev/null
keys en '?'
wait_screen en "Reload from the database" >/dev/null
check "help of the worklist, English, 80x24" golden en help-worklist-en.screen 23
keys en Escape
keys en q
wait_for en "[exit=0]" >/dev/null

app_start es "env LANGUAGE=es $(cobro_cmd ana)"
wait_for es "cuentas por gestionar" >/dev/null
keys es Enter
wait_screen es "Historial" >/dev/null
keys es '?'
wait_screen es "Teclas de la pantalla Cuenta" >/dev/null
check "help of the account screen, Spanish, 80x24" golden es help-account-es.screen 23
keys es Escape
keys es Escape
keys es q
wait_for es "[exit=0]" >/dev/null

app_start login "$COBRO_BIN/cobro --database 'host=127.0.0.1 port=$PGPORT dbname=cobro' --login"
wait_screen login "cobro: log in" >/dev/null
check "the login form, 80x24" golden login login-en.screen 9
keys login Escape

finish
