#!/usr/bin/env python3
"""English left on Spanish screens (cli-test_golden_spanish).

    english_words.py POT PO KEYS ALLOW SCREEN...

The English words are those of the catalogue's English texts (POT's msgids)
that no Spanish text (PO's msgstrs) uses: "mobile", "delivered", "accounts".
Each SCREEN (a golden screen captured with LANGUAGE=es) is read word by word
and every such word is reported with the English text it comes from, and so
is a one-word Spanish text cut short ("incumpli…" for "incumplida"); the
exit status is 1 when there is any.

What is not a word of the language is not read: codes and identifiers
(ALL-CONSENT, GSM-7, broken_promise, {debtor.first_name}), addresses and
links. On the help screens the first two columns are the key's and the
action's names as cobro.conf writes them (KEYS: `cobro --keys`), the same
in every language. ALLOW lists the few words that stay, one a line with the
reason after a tab; a word listed there that no English text has any more
is reported too, so the list stays short and true.
"""
import re
import sys

WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def unquote(s):
    """A PO string's text: the quotes off, the C escapes read."""
    s = s.strip()
    assert s.startswith('"') and s.endswith('"'), s
    return re.sub(r'\\(.)', lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s[1:-1])


def entries(path):
    """Each live entry as {"msgctxt": .., "msgid": .., "msgstr[0]": ..}:
    entries are apart by blank lines; comments, obsolete entries (#~) and
    the header are not read."""
    out, cur, field = [], {}, None
    with open(path, encoding="utf-8") as f:
        for line in list(f) + [""]:
            line = line.rstrip("\n")
            if not line.strip():
                if cur.get("msgid"):  # not the header's
                    out.append(cur)
                cur, field = {}, None
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                cur[field] += unquote(line)
            else:
                field, _, text = line.partition(" ")
                cur[field] = unquote(text)
    return out


def strip_format(text):
    """A message without its printf directives (%s, %lld, %.0f)."""
    return re.sub(r"%[-+ #0-9.*]*(?:hh|h|ll|l|z|j|t)?[a-zA-Z%]", " ", text)


def words(text):
    return [w.lower() for w in WORD.findall(strip_format(text))]


def screen_words(line):
    """The words of a screen's line that belong to a language."""
    line = re.sub(r"\{[^}\s]*\}?", " ", line)                # template placeholders
    line = re.sub(r"\S+@\S+|\w+://\S+", " ", line)           # addresses and links
    found = []
    for token in re.findall(r"[\w'’-]+", line):
        if "_" in token or re.search(r"\d", token):
            continue                                         # identifiers, codes with digits
        if token.upper() == token:
            continue                                         # codes and acronyms: ALL-CONSENT, SMS
        for part in token.split("-"):
            found += [w.lower() for w in WORD.findall(part)]
    return found


def main(pot, po, keys, allow, screens):
    english = {}
    for e in entries(pot):
        for text in (e.get("msgid", ""), e.get("msgid_plural", "")):
            for w in words(text):
                english.setdefault(w, text)
    spanish = set()
    for e in entries(po):
        for k, v in e.items():
            if k.startswith("msgstr"):
                spanish.update(words(v))
    allowed, bad = {}, 0
    with open(allow, encoding="utf-8") as f:
        for no, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            word, _, why = line.partition("\t")
            if not why.strip():
                print(f"{allow}:{no}: \"{word}\" is allowed without a reason")
                bad += 1
            allowed[word.lower()] = why
    for w in sorted(allowed):
        if w not in english or w in spanish:
            print(f"{allow}: \"{w}\" is in no English text, or is Spanish too: it need not be allowed")
            bad += 1
    suspects = {w: t for w, t in english.items() if w not in spanish and w not in allowed and len(w) > 1}
    # The one-word Spanish texts (a status, a segment, a column's title),
    # which a column shows whole or not at all.
    labels = set()
    for e in entries(po):
        for k, v in e.items():
            if k.startswith("msgstr") and len(words(v)) == 1 and WORD.fullmatch(v.strip()):
                labels.add(v.strip().lower())
    bound = set()  # (key, action) as cobro --keys prints them
    with open(keys, encoding="utf-8") as f:
        for line in f:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 3:
                bound.add((fields[1], fields[2]))
    for path in screens:
        is_help = "/help-" in path or path.startswith("help-")
        with open(path, encoding="utf-8") as f:
            for no, line in enumerate(f, 1):
                cols = line.split(None, 2)
                if is_help and len(cols) == 3 and (cols[0], cols[1]) in bound:
                    line = cols[2]  # the help's text; the key and the action are names
                for w in screen_words(line):
                    if w in suspects:
                        print(f"{path}:{no}: \"{w}\" is English (from \"{suspects[w][:60]}\")")
                        bad += 1
                # A status or a segment, in lower case; a sentence cut at
                # the end of its row ("Recibi…") is no label.
                for cut in re.findall(r"(?<![^\W\d_])([^\W\d_A-ZÁÉÍÓÚÑ][^\W\d_]{3,})\u2026", line):
                    whole = sorted(l for l in labels if l.startswith(cut.lower()) and l != cut.lower())
                    if whole:
                        print(f"{path}:{no}: \"{cut}\u2026\" is \"{whole[0]}\" cut short")
                        bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]))
