#!/usr/bin/python3
"""Writes src/core/phone_tables.c from Google's libphonenumber metadata (Debian's python3-phonenumbers).

    /usr/bin/python3 scripts/phone-tables.py > src/core/phone_tables.c

Run by hand when the metadata changes (apt upgrade python3-phonenumbers), and commit the output:
cobro builds without Python, and its phone numbers do not change under it with a package upgrade.
tests/cli/test_phone_libphonenumber.sh fails when the tables and the installed library disagree.

What phone.c needs from the metadata, per supported country (PE MX CO CL AR ES and +1, whose main
region is the US but whose numbers may be of any NANP region: Canada, Puerto Rico, Jamaica ...):

- The national number patterns (general, and each number type with its possible lengths) as one
  deterministic automaton over the digits per country code. Each state says what libphonenumber's
  number_type() would answer for a number ending there (the region resolution of +1 included),
  whether the general pattern alone matches (the parser's viability test), and whether a valid
  number can still be reached by more digits (to tell "too short" from "not valid"). The patterns
  are parsed with Python's own regular-expression parser, turned into automata and minimised here,
  so phone.c runs no regular expression: a number is checked in one pass over its digits.
- The international prefix of each country (00, 011, Chile's carrier prefixes, Colombia's 005 ...)
  and its national_prefix_for_parsing with the transform rule (Argentina's 0 + area code + 15 ->
  9 + area code, Mexico's 01, 044, 045 and 1, Colombia's carrier codes): these are matched as
  Python's re.match does (leftmost alternative first, greedy), so every string they can match is
  listed here in that order with what it turns into, and checked against re.match before writing.
- The general possible lengths (and local-only lengths) the parser's length test uses.
- Every country calling code, so that a number of another country is told apart from a typo.
"""

import itertools
import random
import re
import sys

try:
    import re._parser as sre_parse  # Python 3.11
    import re._constants as C
except ImportError:  # pragma: no cover
    import sre_parse
    import sre_constants as C

import phonenumbers
from phonenumbers import PhoneMetadata
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

SUPPORTED = ["PE", "MX", "CO", "CL", "AR", "ES", "US"]
MAX_NSN = 17  # libphonenumber's _MAX_LENGTH_FOR_NSN
DIGITS = "0123456789"

# The kinds phone.h names, in libphonenumber's order of testing.
KINDS = ["INVALID", "FIXED", "MOBILE", "FIXED_OR_MOBILE", "TOLL_FREE", "PREMIUM", "SHARED_COST", "VOIP",
         "PERSONAL", "PAGER", "UAN", "VOICEMAIL"]
SPECIAL = [("premium_rate", "PREMIUM"), ("toll_free", "TOLL_FREE"), ("shared_cost", "SHARED_COST"),
           ("voip", "VOIP"), ("personal_number", "PERSONAL"), ("pager", "PAGER"), ("uan", "UAN"),
           ("voicemail", "VOICEMAIL")]


# ------------------------------------------------------------------ regex -> NFA

class NFA:
    def __init__(self):
        self.eps = []  # state -> [states]
        self.moves = []  # state -> [(digit set, state)]

    def new(self):
        self.eps.append([])
        self.moves.append([])
        return len(self.eps) - 1


def char_set(items):
    out = set()
    negate = False
    for op, av in items:
        if op == C.NEGATE:
            negate = True
        elif op == C.LITERAL:
            out.add(chr(av))
        elif op == C.RANGE:
            out.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op == C.CATEGORY and av == C.CATEGORY_DIGIT:
            out.update(DIGITS)
        else:
            raise ValueError("unexpected class item %r" % ((op, av),))
    out &= set(DIGITS)
    return frozenset(set(DIGITS) - out if negate else out)


def build(nfa, node, start):
    """Adds the sequence `node` after state start; returns its end state."""
    cur = start
    for op, av in node:
        if op == C.LITERAL:
            nxt = nfa.new()
            ch = chr(av)
            nfa.moves[cur].append((frozenset([ch]) if ch in DIGITS else frozenset(), nxt))
            cur = nxt
        elif op == C.IN:
            nxt = nfa.new()
            nfa.moves[cur].append((char_set(av), nxt))
            cur = nxt
        elif op == C.SUBPATTERN:
            cur = build(nfa, av[-1], cur)
        elif op == C.BRANCH:
            end = nfa.new()
            for alt in av[1]:
                s = nfa.new()
                nfa.eps[cur].append(s)
                nfa.eps[build(nfa, alt, s)].append(end)
            cur = end
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT if hasattr(C, "POSSESSIVE_REPEAT") else None):
            lo, hi, sub = av
            for _ in range(lo):
                cur = build(nfa, sub, cur)
            if hi == C.MAXREPEAT:
                loop = nfa.new()
                nfa.eps[cur].append(loop)
                nfa.eps[build(nfa, sub, loop)].append(loop)
                cur = loop
            else:
                end = nfa.new()
                for _ in range(hi - lo):
                    nfa.eps[cur].append(end)
                    cur = build(nfa, sub, cur)
                nfa.eps[cur].append(end)
                cur = end
        else:
            raise ValueError("unexpected regex element %r" % ((op, av),))
    return cur


def closure(nfa, states):
    seen = set(states)
    todo = list(states)
    while todo:
        s = todo.pop()
        for t in nfa.eps[s]:
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return frozenset(seen)


class Feature:
    """A pattern compiled into the shared NFA: its start and accepting state; prefix=True accepts any
    string that starts with a match (re.match), else only whole matches (re.fullmatch)."""

    def __init__(self, nfa, pattern, prefix=False):
        self.start = nfa.new()
        end = build(nfa, sre_parse.parse(pattern), self.start)
        if prefix:
            loop = nfa.new()
            nfa.eps[end].append(loop)
            nfa.moves[loop].append((frozenset(DIGITS), loop))
            end = loop
        self.end = end


def determinise(nfa, features, verdict):
    """Subset construction over the digits for all features at once; a DFA state remembers how many
    digits led to it (possible lengths depend on it). verdict(accepting features, length) gives each
    state's label. Returns (transitions, labels) with state 0 dead and 1 the start, minimised."""
    start = (closure(nfa, [f.start for f in features]), 0)
    index = {start: 1}
    order = [None, start]
    trans = [[0] * 10, None]
    labels = [verdict(frozenset(), MAX_NSN + 1), None]  # the dead state
    i = 1
    while i < len(order):
        states, depth = order[i]
        accepting = frozenset(k for k, f in enumerate(features) if f.end in states)
        labels[i] = verdict(accepting, depth)
        row = []
        for d in DIGITS:
            nxt = set()
            if depth < MAX_NSN:
                for s in states:
                    for chars, t in nfa.moves[s]:
                        if d in chars:
                            nxt.add(t)
            if not nxt:
                row.append(0)
                continue
            key = (closure(nfa, nxt), depth + 1)
            if key not in index:
                index[key] = len(order)
                order.append(key)
                trans.append(None)
                labels.append(None)
            row.append(index[key])
        trans[i] = row
        i += 1
    return minimise(trans, labels)


def minimise(trans, labels):
    """Moore's partition refinement; keeps 0 dead and 1 the start."""
    n = len(trans)
    block = {}
    part = [block.setdefault(labels[s], len(block)) for s in range(n)]
    while True:
        sig = {}
        new = [sig.setdefault((part[s], tuple(part[t] for t in trans[s])), len(sig)) for s in range(n)]
        if len(sig) == len(set(part)):
            break
        part = new
    # Renumber: the dead state's block 0, the start's 1, the rest in order of discovery.
    ren = {part[0]: 0}
    if part[1] not in ren:
        ren[part[1]] = 1
    queue = [1]
    seen = {1}
    rep = {0: 0, ren[part[1]]: 1}
    while queue:
        s = queue.pop(0)
        for t in trans[s]:
            if part[t] not in ren:
                ren[part[t]] = len(ren)
                rep[ren[part[t]]] = t
            if t not in seen and t != 0:
                seen.add(t)
                queue.append(t)
    m = len(ren)
    out_trans = [[ren[part[t]] for t in trans[rep[b]]] for b in range(m)]
    out_labels = [labels[rep[b]] for b in range(m)]
    return out_trans, out_labels


# ------------------------------------------------------------ libphonenumber's types

def desc_lengths(desc):
    return set(desc.possible_length) if desc is not None and desc.possible_length else None


def type_features(nfa, meta):
    """The features of one region: general, the special types, fixed line, mobile."""
    feats = {"general_desc": Feature(nfa, meta.general_desc.national_number_pattern)}
    for attr, _ in SPECIAL + [("fixed_line", None), ("mobile", None)]:
        desc = getattr(meta, attr)
        if desc is not None and desc.national_number_pattern:
            feats[attr] = Feature(nfa, desc.national_number_pattern)
    return feats


def number_type(meta, matched, length):
    """libphonenumber's _number_type_helper, from which patterns matched the whole number."""

    def is_(attr):
        desc = getattr(meta, attr)
        if attr not in matched or desc is None:
            return False
        lengths = desc_lengths(desc)
        return lengths is None or length in lengths

    if not is_("general_desc"):
        return "INVALID"
    for attr, kind in SPECIAL:
        if is_(attr):
            return kind
    if is_("fixed_line"):
        if meta.same_mobile_and_fixed_line_pattern or is_("mobile"):
            return "FIXED_OR_MOBILE"
        return "FIXED"
    if not meta.same_mobile_and_fixed_line_pattern and is_("mobile"):
        return "MOBILE"
    return "INVALID"


def country_automaton(cc):
    """The DFA of one country code: labels (kind, general pattern matched)."""
    regions = COUNTRY_CODE_TO_REGION_CODE[cc]
    main = PhoneMetadata.metadata_for_region(regions[0])
    nfa = NFA()
    flat = []
    per_region = []
    for r in regions:
        meta = PhoneMetadata.metadata_for_region(r)
        feats = type_features(nfa, meta)
        if len(regions) > 1 and meta.leading_digits:
            feats["leading"] = Feature(nfa, meta.leading_digits, prefix=True)
        names = {}
        for name, f in feats.items():
            names[len(flat)] = name
            flat.append(f)
        per_region.append((meta, names))
    general_main = next(k for k, v in per_region[0][1].items() if v == "general_desc")

    def verdict(accepting, length):
        kind = "INVALID"
        if length <= MAX_NSN:
            # region_code_for_number, then number_type for that region.
            for meta, names in per_region:
                matched = {names[k] for k in accepting if k in names}
                if len(per_region) > 1 and meta.leading_digits:
                    if "leading" in matched:
                        kind = number_type(meta, matched, length)
                        break
                    continue
                t = number_type(meta, matched, length)
                if t != "INVALID" or len(per_region) == 1:
                    kind = t
                    break
        return (kind, general_main in accepting)

    return main, regions, determinise(nfa, flat, verdict)


# ------------------------------------------------ prefixes matched as re.match does

def paths(node):
    """Every (string, groups) node can match, in the order Python's backtracking tries them."""
    def seq(items):
        if not items:
            yield "", {}
            return
        for s1, g1 in one(items[0]):
            for s2, g2 in seq(items[1:]):
                g = dict(g1)
                g.update(g2)
                yield s1 + s2, g

    def rep(sub, lo, hi):
        if hi > 0:
            for s1, g1 in seq(list(sub)):
                for s2, g2 in rep(sub, max(lo - 1, 0), hi - 1):
                    g = dict(g1)
                    g.update(g2)
                    yield s1 + s2, g
        if lo == 0:
            yield "", {}

    def one(item):
        op, av = item
        if op == C.LITERAL:
            yield chr(av), {}
        elif op == C.IN:
            for ch in sorted(char_set(av)):
                yield ch, {}
        elif op == C.SUBPATTERN:
            gid = av[0]
            for s, g in seq(list(av[-1])):
                if gid:
                    g = dict(g)
                    g[gid] = s
                yield s, g
        elif op == C.BRANCH:
            for alt in av[1]:
                yield from seq(list(alt))
        elif op == C.MAX_REPEAT:
            lo, hi, sub = av
            if hi == C.MAXREPEAT:
                raise ValueError("unbounded repeat in a prefix pattern")
            yield from rep(sub, lo, hi)
        else:
            raise ValueError("unexpected element in a prefix pattern: %r" % (item,))

    yield from seq(list(node))


def prefix_entries(pattern, transform=None):
    """The strings pattern can match at the start of a number, first the one re.match would pick,
    each with what replaces it: "" (stripped) or the transform rule applied to its groups."""
    parsed = sre_parse.parse(pattern)
    ngroups = parsed.state.groups - 1
    entries = []
    for s, g in paths(parsed):
        if any(e[0] == s[:len(e[0])] for e in entries):
            continue  # an earlier one is a prefix of it: that one wins
        repl = ""
        if transform and ngroups and g.get(ngroups) is not None:
            repl = re.sub(r"\\(\d)", lambda m: g.get(int(m.group(1)), "") or "", transform)
        entries.append((s, repl))
    # Check against re.match on the strings themselves, with and without digits after them.
    rx = re.compile(pattern)
    rnd = random.Random(16)
    samples = [e[0] for e in entries] + ["".join(rnd.choice(DIGITS) for _ in range(rnd.randint(0, 14)))
                                         for _ in range(3000)]
    for base in samples:
        for tail in ("", "1", "9", "0123456789", "5512345678"):
            text = base + tail
            m = rx.match(text)
            got = first_entry(entries, text)
            if m is None:
                assert got is None, (pattern, text)
                continue
            assert got is not None and len(got[0]) == m.end(), (pattern, text, got, m.end())
            if transform and ngroups and m.groups()[ngroups - 1] is not None:
                assert got[1] == m.expand(transform), (pattern, text, got, m.expand(transform))
            else:
                assert got[1] == "", (pattern, text, got)
    return entries


def first_entry(entries, text):
    for e in entries:
        if text.startswith(e[0]):
            return e
    return None


def trie(entries):
    """A trie of the entries: per node its children and the entry (by priority) that ends there."""
    nodes = [[0] * 10]
    ends = [-1]
    for i, (s, _) in enumerate(entries):
        n = 0
        for ch in s:
            d = int(ch)
            if not nodes[n][d]:
                nodes.append([0] * 10)
                ends.append(-1)
                nodes[n][d] = len(nodes) - 1
            n = nodes[n][d]
        if ends[n] < 0:
            ends[n] = i
    return nodes, ends


# ---------------------------------------------------------------------- writing C

def c_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def emit_rows(out, name, ctype, rows, per_line):
    out.append("static const %s %s[][10] = {" % (ctype, name))
    for i in range(0, len(rows), per_line):
        out.append("\t" + " ".join("{%s}," % ",".join(str(v) for v in r) for r in rows[i:i + per_line]))
    out.append("};")


def emit_list(out, name, ctype, values, per_line=24):
    out.append("static const %s %s[] = {" % (ctype, name))
    for i in range(0, len(values), per_line):
        out.append("\t" + " ".join("%s," % v for v in values[i:i + per_line]))
    out.append("};")


def length_mask(lengths):
    m = 0
    for n in lengths or ():
        if n > 0:
            m |= 1 << n
    return "0x%x" % m


def live_states(trans, labels):
    """Whether a valid number can be reached from each state by one digit or more."""
    n = len(trans)
    valid = [labels[s][0] != "INVALID" for s in range(n)]
    live = [False] * n
    changed = True
    while changed:
        changed = False
        for s in range(n):
            if not live[s] and any(t and (valid[t] or live[t]) for t in trans[s]):
                live[s] = True
                changed = True
    return live


def main():
    out = []
    out.append("/* Generated by scripts/phone-tables.py from libphonenumber's metadata (python3-phonenumbers %s):"
               % phonenumbers.__version__)
    out.append(" * do not edit; run the script again and commit what it writes. What the tables mean is in")
    out.append(" * phone_tables.h; how phone.c uses them in phone.c. */")
    out.append("/* clang-format off */")
    out.append('#include "phone_tables.h"')
    out.append("")
    codes = sorted(COUNTRY_CODE_TO_REGION_CODE)
    out.append("/* Every country calling code libphonenumber knows, the non-geographic ones (800, 808 ...) too. */")
    out.append("const char phone_country_codes[] =")
    words = " " + " ".join(str(c) for c in codes) + " "
    for i in range(0, len(words), 96):
        out.append("\t" + c_str(words[i:i + 96]))
    out.append(";")
    out.append("")

    countries = []
    for iso in SUPPORTED:
        meta = PhoneMetadata.metadata_for_region(iso)
        cc = meta.country_code
        main_meta, regions, (trans, labels) = country_automaton(cc)
        assert main_meta.id == iso
        live = live_states(trans, labels)
        pre = iso.lower()
        out.append("/* +%d: %s. %d states. */" % (cc, " ".join(regions) if len(regions) < 4
                                                   else "%s and %d other NANP regions" % (regions[0], len(regions) - 1),
                                                   len(trans)))
        ctype = "uint16_t" if len(trans) > 255 else "uint8_t"
        emit_rows(out, pre + "_next", ctype, trans, 6)
        flags = []
        for s, (kind, general) in enumerate(labels):
            v = "PHONE_%s" % kind
            if general:
                v += "|PHONE_GENERAL"
            if live[s]:
                v += "|PHONE_LIVE"
            flags.append(v)
        emit_list(out, pre + "_label", "uint8_t", flags, 6)

        idd = prefix_entries(meta.international_prefix) if meta.international_prefix else []
        npp = (prefix_entries(meta.national_prefix_for_parsing, meta.national_prefix_transform_rule)
               if meta.national_prefix_for_parsing else [])
        for what, entries in (("idd", idd), ("npp", npp)):
            if not entries:
                continue
            nodes, ends = trie(entries)
            ctype = "uint16_t" if len(nodes) > 255 else "uint8_t"
            out.append("/* %s: %s */" % (what, (meta.international_prefix if what == "idd"
                                                else meta.national_prefix_for_parsing)[:100].replace("*/", "*\\/")))
            emit_rows(out, "%s_%s_next" % (pre, what), ctype, nodes, 6)
            emit_list(out, "%s_%s_end" % (pre, what), "int16_t", ends)
            if what == "npp":
                emit_list(out, "%s_npp_repl" % pre, "char *const", [c_str(e[1]) for e in entries], 12)
        countries.append((iso, meta, cc, len(trans) > 255, idd, npp))
        out.append("")

    out.append("const struct phone_plan phone_plans[] = {")
    for iso, meta, cc, wide, idd, npp in countries:
        pre = iso.lower()
        g = meta.general_desc
        out.append("\t{")
        out.append('\t\t.iso = "%s", .cc = "%d",' % (iso, cc))
        out.append("\t\t.lengths = %s, .local_lengths = %s," % (length_mask(g.possible_length),
                                                              length_mask(g.possible_length_local_only)))
        if wide:
            out.append("\t\t.next16 = %s_next, .label = %s_label," % (pre, pre))
        else:
            out.append("\t\t.next8 = %s_next, .label = %s_label," % (pre, pre))
        for what, entries in (("idd", idd), ("npp", npp)):
            if not entries:
                continue
            nodes, _ = trie(entries)
            field = "16" if len(nodes) > 255 else "8"
            out.append("\t\t.%s = { .next%s = %s_%s_next, .end = %s_%s_end%s }," %
                       (what, field, pre, what, pre, what, ", .repl = %s_npp_repl" % pre if what == "npp" else ""))
        out.append("\t},")
    out.append("};")
    out.append("const size_t phone_nplans = sizeof phone_plans / sizeof phone_plans[0];")
    out.append("const char phone_tables_version[] = %s;" % c_str(phonenumbers.__version__))
    out.append("/* clang-format on */")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
