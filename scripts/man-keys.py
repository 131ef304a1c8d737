#!/usr/bin/python3
"""Regenerates the KEYS section of man/cobro.1 from `cobro --keys`, the action
table the program itself uses, so the page cannot drift from the keys.
Usage: scripts/man-keys.py bin/cobro man/cobro.1  (make man runs it)."""
import subprocess
import sys

cobro, page = sys.argv[1], sys.argv[2]
rows = [l.split('\t') for l in subprocess.run([cobro, '--keys'], check=True, capture_output=True,
                                              text=True).stdout.splitlines()]
shared = {(k, a) for s, k, a, h in rows if s == 'help'}


def esc(t):
    return t.replace('\\', '\\\\').replace('-', '\\-')


def entries(screen):
    out = []
    for s, k, a, h in rows:
        if (screen == 'every' and s == 'help') or (s == screen and (k, a) not in shared):
            out.append('.TP\n.BR "%s" " (%s)"\n%s.' % (esc(k), a, h))
    return '\n'.join(out)


text = open(page).read()
start = text.index('.SH KEYS')
end = text.index('.SH OPTIONS')
# Every screen of the registry, in its order (cobro --keys lists them so);
# the help's keys are the ones every screen shares.
screens = []
for s, k, a, h in rows:
    if s != 'help' and s not in screens:
        screens.append(s)
keys = '''.SH KEYS
Each key is shown with the name of its action, as
.B ?
shows it and as
.B keys
in
.BR cobro.conf (5)
rebinds it. This section is generated from
.B cobro \\-\\-keys
(scripts/man\\-keys.py).
.SS Every screen
%s
''' % entries('every')
for screen in screens:
    # A screen with no keys of its own (the history item) has only the shared ones.
    if entries(screen):
        keys += '.SS %s\n%s\n' % (screen[:1].upper() + screen[1:], entries(screen))
open(page, 'w').write(text[:start] + keys + text[end:])
