#!/usr/bin/python3
"""Phone numbers as people type them, and what Google's libphonenumber makes of them.

    phone_cases.py cases COUNTRY [SEED]    one "INPUT<TAB>EXPECTED" line per case, to read with
                                           default country COUNTRY
    phone_cases.py compare CASES GOT       GOT: cobroctl phone normalize's lines for CASES' inputs;
                                           prints every disagreement, exits 1 on any

EXPECTED is libphonenumber's answer as cobro must give it: the E.164 form when phonenumbers.parse
(with COUNTRY as the default region) succeeds and is_valid_number is true for a country cobro
serves (+1 51 52 54 56 57 34), else "!" (refused: not a number, not valid, or another country's).
Where libphonenumber reads its own E.164 back as another valid number (MX: "044 1 55 ..." is
+52 1 55 ..., read back as +52 55 ...), the one read back: cobro stores a number's normal form.

The numbers, per country (a few hundred, seeded: the same run every time):
- libphonenumber's example number of every type of the country (of every NANP region for US);
- random numbers drawn from each type's own pattern (fixed line, mobile, toll free ...);
- invalid ones: a digit short, a digit long, a digit changed, the leading digits of an unassigned
  range, random digits of the country's lengths;
each written as people write them: national (libphonenumber's national format, with its trunk
prefix, parentheses and AR's 15), bare digits, with the trunk prefix, grouped with spaces, dashes,
dots and parentheses, international (+CC, 00CC, the country's own international prefixes such as
011, CL's 1XX0 carrier prefixes or CO's 005/007/009, the country code without +), and the old
forms: MX's 044/045/01 and +52 1, AR's 0 + area code + 15 and +54 with 15, CO's carrier codes
after the trunk 0. Numbers of the other supported countries are written internationally too.
Python 3 and python3-phonenumbers only.
"""

import random
import sys

try:
    import re._parser as sre_parse
    import re._constants as C
except ImportError:  # pragma: no cover
    import sre_parse
    import sre_constants as C

import phonenumbers as P
from phonenumbers import PhoneMetadata
from phonenumbers.phonenumberutil import COUNTRY_CODE_TO_REGION_CODE

SUPPORTED = ["PE", "MX", "CO", "CL", "AR", "ES", "US"]
CODES = {PhoneMetadata.metadata_for_region(r).country_code for r in SUPPORTED}
TYPES = ["fixed_line", "mobile", "toll_free", "premium_rate", "shared_cost", "voip", "personal_number",
         "pager", "uan", "voicemail"]
DIGITS = "0123456789"


def e164(text, region):
    """libphonenumber's E.164 for text, None when it is not a valid number of a served country."""
    try:
        n = P.parse(text, region)
    except P.NumberParseException:
        return None
    if n.country_code in CODES and P.is_valid_number(n):
        return P.format_number(n, P.PhoneNumberFormat.E164)
    return None


def expected(text, region):
    """libphonenumber's E.164, or "!". Where it does not read its own E.164 back the same (MX: 044 1 55 ...
    gives +52 1 55 ..., read back as +52 55 ...), the number it reads back, while that is valid: cobro
    stores a number's own normal form."""
    out = e164(text, region)
    for _ in range(3):
        again = e164(out, None) if out else None
        if again is None or again == out:
            break
        out = again
    return out or "!"


# ------------------------------------------------------------- drawing numbers

def draw(node, rnd):
    """A random string the parsed pattern matches."""
    out = []
    for op, av in node:
        if op == C.LITERAL:
            out.append(chr(av))
        elif op == C.IN:
            chars = set()
            neg = False
            for o, a in av:
                if o == C.LITERAL:
                    chars.add(chr(a))
                elif o == C.RANGE:
                    chars.update(chr(c) for c in range(a[0], a[1] + 1))
                elif o == C.CATEGORY:
                    chars.update(DIGITS)
                elif o == C.NEGATE:
                    neg = True
            if neg:
                chars = set(DIGITS) - chars
            out.append(rnd.choice(sorted(chars)))
        elif op == C.SUBPATTERN:
            out.append(draw(av[-1], rnd))
        elif op == C.BRANCH:
            out.append(draw(rnd.choice(av[1]), rnd))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, hi, sub = av
            hi = min(hi, lo + 3)
            for _ in range(rnd.randint(lo, hi)):
                out.append(draw(sub, rnd))
        elif op == C.AT:
            pass
        else:
            raise ValueError(op)
    return "".join(out)


def region_numbers(region, rnd, per_type):
    """(nsn, country code) pairs: examples and draws of each type of the region."""
    meta = PhoneMetadata.metadata_for_region(region)
    out = []
    for t in TYPES:
        desc = getattr(meta, t)
        if desc is None or not desc.national_number_pattern:
            continue
        if desc.example_number:
            out.append(desc.example_number)
        parsed = sre_parse.parse(desc.national_number_pattern)
        for _ in range(per_type):
            out.append(draw(parsed, rnd))
    return [(n, meta.country_code) for n in out]


def spoil(nsn, rnd):
    """Invalid relatives of a number."""
    out = [nsn[:-1], nsn + rnd.choice(DIGITS), nsn[:-2]]
    i = rnd.randrange(len(nsn))
    out.append(nsn[:i] + rnd.choice(DIGITS) + nsn[i + 1:])
    out.append(rnd.choice(DIGITS) + nsn[1:])
    out.append(nsn[:2] + "".join(rnd.choice(DIGITS) for _ in range(len(nsn) - 2)))
    out.append("".join(rnd.choice(DIGITS) for _ in range(len(nsn))))
    return [s for s in out if s]


# ---------------------------------------------------------------- writing them

def group(digits, rnd):
    """The digits in random groups with random separators."""
    if len(digits) < 4:
        return digits
    sep = rnd.choice([" ", "-", ".", " ", "", "/", " - "])
    cuts = sorted(rnd.sample(range(1, len(digits)), min(len(digits) - 1, rnd.randint(1, 3))))
    parts = [digits[a:b] for a, b in zip([0] + cuts, cuts + [len(digits)])]
    if rnd.random() < 0.3 and len(parts) > 1:
        parts[0] = "(" + parts[0] + ")"
        return parts[0] + " " + sep.join(parts[1:])
    return sep.join(parts)


# Separators pasted from documents, spreadsheets and phones: the ones libphonenumber reads inside a
# number (no-break space, hyphens and dashes, the minus sign, full-width ones) and the ones it only
# skips around it (tab, line breaks, typographic spaces).
PASTED = ["\u00a0", "\u2010", "\u2013", "\u2014", "\u2212", "\uff0d", "\uff0e", "\u3000", "\u00ad",
          "\u200b", "\uff08", "\t", "\u2003", "\u202f", " ", "*", "[", "\u223c"]


def pasted(text, rnd):
    """text with its separators swapped for pasted ones, sometimes full-width digits, blanks around it."""
    out = "".join(rnd.choice(PASTED) if ch in " -." else ch for ch in text)
    if rnd.random() < 0.2:
        out = "".join(chr(0xFF10 + int(ch)) if ch.isdigit() and rnd.random() < 0.5 else ch for ch in out)
    if rnd.random() < 0.3:
        out = rnd.choice(["\t", " ", "\u00a0", "\u2003"]) + out + rnd.choice(["\t", " ", ".", ")", "\u3000"])
    return out


def idd_prefixes(region):
    """International prefixes dialled from region (its metadata's international_prefix)."""
    return {"PE": ["00", "191100", "197700"], "MX": ["00", "09"], "CO": ["00", "005", "007", "009", "00444"],
            "CL": ["00", "1100", "1230", "1710"], "AR": ["00"], "ES": ["00"], "US": ["011"]}[region]


def writings(nsn, cc, region, rnd):
    """How a person in region might write the number nsn of country code cc."""
    out = set()
    home = PhoneMetadata.metadata_for_region(region).country_code
    try:
        n = P.parse("+%d%s" % (cc, nsn), None)
        out.add(P.format_number(n, P.PhoneNumberFormat.INTERNATIONAL))
        out.add(P.format_number(n, P.PhoneNumberFormat.E164))
        out.add(P.format_out_of_country_calling_number(n, region))
        if cc == home:
            out.add(P.format_number(n, P.PhoneNumberFormat.NATIONAL))
    except P.NumberParseException:
        pass
    out.add("+%d %s" % (cc, group(nsn, rnd)))
    out.add("+%d%s" % (cc, nsn))
    for idd in idd_prefixes(region):
        out.add("%s %d %s" % (idd, cc, group(nsn, rnd)))
    out.add("00%d%s" % (cc, nsn))
    for w in rnd.sample(sorted(out), min(2, len(out))):
        out.add(pasted(w, rnd))
    if cc == home:
        meta = PhoneMetadata.metadata_for_region(region)
        out.add(nsn)
        out.add(group(nsn, rnd))
        out.add("%d %s" % (cc, group(nsn, rnd)))
        out.add("%d%s" % (cc, nsn))
        if meta.national_prefix:
            out.add(meta.national_prefix + nsn)
            out.add("(%s%s) %s" % (meta.national_prefix, nsn[:2], group(nsn[2:], rnd)))
            out.add("+%d (%s)%s" % (cc, meta.national_prefix, nsn))
        if region == "MX":
            for old in ("044 ", "045 ", "01 ", "1 ", "+52 1 ", "52 1 ", "0052 1 ", "044 1 ", "01 1 "):
                out.add(old + group(nsn, rnd))
        if region == "CO":
            for carrier in ("0", "05", "07", "09", "0444", "0456", "03"):
                out.add("%s %s" % (carrier, group(nsn, rnd)))
        if region == "AR":
            national = [w for w in out if w.startswith("0")]
            for w in national:
                if " 15-" in w:
                    out.add("+54 " + w[1:])  # +54 area 15 number
                    out.add("+54 9 " + w[1:])  # the 9 and the 15
                    out.add(w.replace(" 15-", " 15 ").replace("-", " "))
            if nsn.startswith("9"):
                out.add("0" + nsn[1:])  # the 9 dropped, no 15: a landline's digits
        if region == "US":
            out.add("1 " + group(nsn, rnd))
            out.add("1-%s-%s-%s" % (nsn[:3], nsn[3:6], nsn[6:]))
            out.add("(%s) %s-%s" % (nsn[:3], nsn[3:6], nsn[6:]))
        if region == "PE":
            out.add("(0%s) %s" % (nsn[:1], nsn[1:]))
    return out


def cases(region, seed):
    rnd = random.Random("%s-%d" % (region, seed))
    meta = PhoneMetadata.metadata_for_region(region)
    cc = meta.country_code
    numbers = region_numbers(region, rnd, 25)
    if cc == 1:
        for r in COUNTRY_CODE_TO_REGION_CODE[1][1:]:
            numbers += region_numbers(r, rnd, 2)
    bad = []
    for nsn, c in numbers:
        bad += [(s, c) for s in spoil(nsn, rnd)]
    for length in sorted(set(meta.general_desc.possible_length) | {min(meta.general_desc.possible_length) - 1}):
        for _ in range(10):
            bad.append(("".join(rnd.choice(DIGITS) for _ in range(length)), cc))
    # The other countries' numbers, written internationally.
    others = []
    for r in SUPPORTED:
        if r != region:
            others += rnd.sample(region_numbers(r, rnd, 3), 6)
    out = {}
    for nsn, c in numbers + bad + others:
        for w in writings(nsn, c, region, rnd):
            if "\n" not in w and w not in out:
                out[w] = expected(w, region)
    return out


def compare(cases_file, got_file):
    with open(cases_file, encoding="utf-8") as f:
        cases_ = [line.rstrip("\n").rsplit("\t", 1) for line in f]
    with open(got_file, encoding="utf-8") as f:
        got = [line.rstrip("\n") for line in f]
    bad = 0
    if len(got) != len(cases_):
        print("%d answers for %d numbers" % (len(got), len(cases_)))
        return 1
    for (text, want), have in zip(cases_, got):
        ours = have if have.startswith("+") else "!"
        if ours != want:
            bad += 1
            print("%r: libphonenumber %s, cobro %s" % (text, want if want != "!" else "refuses", have))
    return 1 if bad else 0


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "cases":
        seed = int(sys.argv[3]) if len(sys.argv) > 3 else 16
        for text, want in sorted(cases(sys.argv[2], seed).items()):
            print("%s\t%s" % (text, want))
        return 0
    if len(sys.argv) == 4 and sys.argv[1] == "compare":
        return compare(sys.argv[2], sys.argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
