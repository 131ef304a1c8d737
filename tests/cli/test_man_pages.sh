#!/usr/bin/env bash
# Every man page renders without a warning, and no words run together: the
# alternating-font macros (.RI, .BR, ...) join their arguments without a
# space, so ".RI (\(lqThe account is free\(rq)." printed
# "Theaccountisfree" (cobro(1), issue 15). Each argument that ends in a
# letter or digit before one that begins with one is such a join. What
# mandoc -Tlint says of the source besides (a blank line or one that starts
# with a blank in filled text, a blank at the end of a line) is refused too.
. "$(dirname "$0")/tap.sh"
cd "$top"
lint=$scratch/alternating.py
cat >"$lint" <<'PY'
import re, sys

ALTERNATING = {".BI", ".BR", ".IB", ".IR", ".RB", ".RI"}

def arguments(line):
    """The macro's arguments as groff reads them: blanks part them, a
    double quote opens and closes one, and "" inside it is a quote."""
    args, i, n = [], 0, len(line)
    while i < n:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            break
        if line[i] == '"':
            i += 1
            a = ""
            while i < n:
                if line[i] == '"':
                    if i + 1 < n and line[i + 1] == '"':
                        a += '"'
                        i += 2
                        continue
                    i += 1
                    break
                a += line[i]
                i += 1
            args.append(a)
        else:
            j = i
            while j < n and line[j] not in " \t":
                j += 1
            args.append(line[i:j])
            i = j
    return args

def shown(arg):
    """What an argument prints, near enough: font changes and \\& print
    nothing, a named character (\\(lq) or an escaped blank is no letter."""
    arg = re.sub(r"\\f(\[[^]]*\]|\(..|.)", "", arg)
    arg = arg.replace("\\&", "").replace("\\-", "-")
    arg = re.sub(r"\\(\(..|\[[^]]*\]|[ ~0|^])", "\u00b7", arg)
    return arg

bad = 0
for path in sys.argv[1:]:
    fill = True
    with open(path, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            macro = line.split(" ", 1)[0]
            if macro in (".nf", ".EX"):
                fill = False
            elif macro in (".fi", ".EE"):
                fill = True
            if line != line.rstrip():
                print(f"{path}:{no}: a blank at the end of the line")
                bad += 1
            if fill and (line == "" or line[0] in " \t"):
                print(f"{path}:{no}: a blank line, or one that starts with a blank, in filled text")
                bad += 1
            if macro not in ALTERNATING or " " not in line:
                continue
            args = [shown(a) for a in arguments(line.split(" ", 1)[1])]
            for a, b in zip(args, args[1:]):
                if a and b and a[-1].isalnum() and b[0].isalnum():
                    print(f"{path}:{no}: \"{a}\" and \"{b}\" run together: {line}")
                    bad += 1
sys.exit(1 if bad else 0)
PY
pages=$(ls man/*.[1-8] | LC_ALL=C sort)
check "there are man pages" test -n "$pages"
for page in $pages; do
	run groff -man -Tutf8 -ww -z "$page"
	check "$page renders without a warning (groff -ww)" test "$rc" = 0 -a -z "$err"
	run /usr/bin/python3 "$lint" "$page"
	check "$page: no words run together in .RI/.BR/..., no blank lines in filled text" test "$rc" = 0
done
# The sentence that was seen run together reads as words (blanks squeezed:
# justification widens some).
run groff -man -Tutf8 -P-cbou -rLL=200n man/cobro.1
check "cobro(1) renders \"The account is free: it is yours now\"" \
	bash -c 'tr -s " " <<<"$1" | grep -qF "The account is free: it is yours now"' _ "$out"
# The lint sees a join (so that a pass above means something).
printf '.TH X 1\n.SH A\n.RI (\\(lqThe account is free\\(rq).\n.BR cobro.conf (5).\n.RI (\\(lq "it is yours" \\(rq).\n\n.nf\n\n  x\n.fi\n' >"$scratch/x.1"
run /usr/bin/python3 "$lint" "$scratch/x.1"
check "the lint finds the join of .RI (\\(lqThe account ... and the blank line, nothing else" \
	bash -c 'test "$1" = 1 && test "$(cut -d: -f2 <<<"$2" | sort -u | tr "\n" " ")" = "3 6 "' _ "$rc" "$out"
finish
