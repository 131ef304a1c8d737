#!/usr/bin/env python3
"""Recompute cobro's holiday calendars from their legal rules, independently of cobro's own code.

    python3 scripts/holidays/check.py [--dir DIR] [--verbose]
    python3 scripts/holidays/check.py --cobroctl BIN [--rules FILE] [--years 2026-2030]

The first form checks the dated files cobro shipped before its calendars were computed (kept as
tests/holidays/legacy/): for every JURISDICTION-YEAR.txt it expects (PE MX CO CL AR ES US US-MA,
2026 and 2027) it checks the file format and that the set of dates is exactly the one the rules
below give, each date carrying a name that matches the holiday (so two swapped holidays are caught
too). The second checks what the engine computes from etc/holidays/*.conf, through
`cobroctl policy holidays JUR YEAR`, the same way, year by year; a year cobro cannot know (AR
without its decree) must be refused as unknown. Before either it tests its own rules on known
anchors: two independent Easter algorithms, and past official calendars that exercise each
moving rule.

Dates that no rule can give (a decree or resolution picks them) are listed in DECLARED with their
source, and still checked for what the law requires of them (weekday, how many).

Prints every mismatch; exits 1 if there is any. Python 3 standard library only.
"""

import argparse
import datetime as dt
import math
import os
import re
import sys
import unicodedata

D = dt.date
DAY = dt.timedelta(days=1)
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
YEARS = (2026, 2027)
JURISDICTIONS = ("PE", "MX", "CO", "CL", "AR", "ES", "US", "US-MA")
MAX_LINE = 510  # policy_holidays_read() reads lines with fgets(line, 512, f)


# ---------------------------------------------------------------- calendar helpers


def easter_anonymous(y):
    """Gregorian Easter, the 'anonymous' algorithm (Meeus/Jones/Butcher)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return D(y, month, day + 1)


def easter_epact(y):
    """Gregorian Easter from the ecclesiastical epact (Lilius/Clavius tables, Knuth's form)."""
    golden = y % 19 + 1
    century = y // 100 + 1
    skipped = 3 * century // 4 - 12  # solar correction
    moon = (8 * century + 5) // 25 - 5  # lunar correction
    sunday = 5 * y // 4 - skipped - 10  # March (-sunday mod 7) is a Sunday
    epact = (11 * golden + 20 + moon - skipped) % 30
    if (epact == 25 and golden > 11) or epact == 24:
        epact += 1
    full = 44 - epact  # paschal full moon, days from 1 March minus 1
    if full < 21:
        full += 30
    full = full + 7 - (sunday + full) % 7
    return D(y, 3, 1) + (full - 1) * DAY


def easter(y):
    a, b = easter_anonymous(y), easter_epact(y)
    if a != b:
        raise AssertionError("Easter %d: algorithms disagree (%s, %s)" % (y, a, b))
    return a


def nth_weekday(y, month, weekday, n):
    """The n-th (1-based) weekday of a month; n = -1 is the last."""
    if n > 0:
        first = D(y, month, 1)
        return first + ((weekday - first.weekday()) % 7 + 7 * (n - 1)) * DAY
    last = D(y + (month == 12), month % 12 + 1, 1) - DAY
    return last - ((last.weekday() - weekday) % 7) * DAY


def next_monday(d):
    """Colombia, Ley 51 de 1983: 'el siguiente lunes' unless it already is a Monday."""
    return d + ((MON - d.weekday()) % 7) * DAY


def cl_ley_19668(d):
    """Chile, Ley 19.668: Tue/Wed/Thu -> Monday of the same week; Fri -> next Monday."""
    wd = d.weekday()
    if wd in (TUE, WED, THU):
        return d - wd * DAY
    if wd == FRI:
        return d + 3 * DAY
    return d


def cl_ley_20299(d):
    """Chile, Ley 20.299 (31 Oct): Tue -> Friday of the week before; Wed -> Friday of that week."""
    if d.weekday() == TUE:
        return d - 4 * DAY
    if d.weekday() == WED:
        return d + 2 * DAY
    return d


def ar_trasladable(d, guemes=False):
    """Argentina, Ley 27.399 art. 6: Tue/Wed -> previous Monday; Thu/Fri -> next Monday.
    Güemes (17 Jun) on a Friday stays, since the next Monday is Belgrano (20 Jun)."""
    wd = d.weekday()
    if wd in (TUE, WED):
        return d - wd * DAY
    if wd == THU or (wd == FRI and not guemes):
        return d + (7 - wd) * DAY
    return d


def us_observed(d):
    """5 U.S.C. 6103(b), E.O. 11582: Saturday -> Friday before; Sunday -> Monday after."""
    if d.weekday() == SAT:
        return d - DAY
    if d.weekday() == SUN:
        return d + DAY
    return d


# ---------------------------------------------------------------- June solstice (Meeus ch. 27)

_SOLSTICE_TERMS = (
    (485, 324.96, 1934.136), (203, 337.23, 32964.467), (199, 342.08, 20.186),
    (182, 27.85, 445267.112), (156, 73.14, 45036.886), (136, 171.52, 22518.443),
    (77, 222.54, 65928.934), (74, 296.72, 3034.906), (70, 243.58, 9037.513),
    (58, 119.81, 33718.147), (52, 297.17, 150.678), (50, 21.02, 2281.226),
    (45, 247.54, 29929.562), (44, 325.15, 31555.956), (29, 60.93, 4443.417),
    (18, 155.12, 67555.328), (17, 288.79, 4562.452), (16, 198.04, 62894.029),
    (14, 199.76, 31436.921), (12, 95.39, 14577.848), (12, 287.11, 31931.756),
    (12, 320.81, 34777.259), (9, 227.73, 1222.114), (8, 15.45, 16859.074),
)


def june_solstice_utc(y):
    """Instant of the June solstice in UTC (Meeus, Astronomical Algorithms, ch. 27; ~1 min)."""
    Y = (y - 2000) / 1000.0
    jde0 = 2451716.56767 + 365241.62603 * Y + 0.00325 * Y**2 + 0.00888 * Y**3 - 0.00030 * Y**4
    T = (jde0 - 2451545.0) / 36525
    W = math.radians(35999.373 * T - 2.47)
    dl = 1 + 0.0334 * math.cos(W) + 0.0007 * math.cos(2 * W)
    S = sum(A * math.cos(math.radians(B + C * T)) for A, B, C in _SOLSTICE_TERMS)
    jde = jde0 + 0.00001 * S / dl
    delta_t = 69.0 + 0.3 * max(0, y - 2020)  # seconds, TT - UT; rough, good to a minute
    jd = jde - delta_t / 86400.0
    # JD 2451545.0 = 2000-01-01 12:00 UT
    return dt.datetime(2000, 1, 1, 12) + dt.timedelta(days=jd - 2451545.0)


# Chile in June: continental standard time UTC-4; Magallanes UTC-3; Isla de Pascua UTC-6.
CL_OFFSETS = {"continental": -4, "Magallanes": -3, "Isla de Pascua": -6}


def cl_pueblos_indigenas(y, notes):
    t = june_solstice_utc(y)
    days = {name: (t + dt.timedelta(hours=h)).date() for name, h in CL_OFFSETS.items()}
    local = t + dt.timedelta(hours=CL_OFFSETS["continental"])
    margin = min(abs((local - dt.datetime.combine(local.date(), dt.time())).total_seconds()),
                 abs((dt.datetime.combine(local.date() + DAY, dt.time()) - local).total_seconds()))
    if len(set(days.values())) > 1 or margin < 3600:
        notes.append("CL %d: solstice %s UTC is near local midnight or splits Chile's zones (%s);"
                     " confirm the date with the official calendar" % (y, t.strftime("%H:%M"), days))
    return days["continental"]


# ---------------------------------------------------------------- what no rule can compute

# Argentina, Ley 27.399 art. 7: up to three días no laborables con fines turísticos a year, on a
# Monday or a Friday, set by the Executive.
DECLARED = {
    ("AR", 2026): {
        "source": "Resolución 164/2025 de la Jefatura de Gabinete de Ministros (B.O. 26 Dec 2025)",
        "dates": [D(2026, 3, 23), D(2026, 7, 10), D(2026, 12, 7)],
    },
    ("AR", 2027): {"source": "none declared as far as known (2026-11)", "dates": []},
}


def mx_federal_election(y):
    """LGIPE art. 22: ordinary federal elections on the first Sunday of June; the Cámara de
    Diputados is elected every three years (2024, 2027, 2030, ...)."""
    if (y - 2024) % 3 == 0:
        return nth_weekday(y, 6, SUN, 1)
    return None


# ---------------------------------------------------------------- the rules, per jurisdiction
# Each rule gives (date, keyword): the file must have that date, with a name containing the
# keyword (compared without case or accents; a tuple of keywords: all of them). A name carries a
# status marker, "(observed)" or "(no laborable)", exactly when its keyword does.


def rules_pe(y, notes):
    e = easter(y)
    fixed = [((1, 1), "Año Nuevo"), ((5, 1), "Trabajo"), ((6, 7), "Bandera"),
             ((6, 29), "San Pedro y San Pablo"), ((7, 23), "Fuerza Aérea"),
             ((7, 28), "Independencia"), ((7, 29), "Fiestas Patrias"), ((8, 6), "Junín"),
             ((8, 30), "Santa Rosa"), ((10, 8), "Angamos"), ((11, 1), "Todos los Santos"),
             ((12, 8), "Inmaculada"), ((12, 9), "Ayacucho"), ((12, 25), "Navidad")]
    out = [(D(y, m, d), k) for (m, d), k in fixed]
    out += [(e - 3 * DAY, "Jueves Santo"), (e - 2 * DAY, "Viernes Santo")]
    return out


def rules_mx(y, notes):
    out = [(D(y, 1, 1), "Año Nuevo"),
           (nth_weekday(y, 2, MON, 1), "Constitución"),
           (nth_weekday(y, 3, MON, 3), "Juárez"),
           (D(y, 5, 1), "Trabajo"),
           (D(y, 9, 16), "Independencia"),
           (nth_weekday(y, 11, MON, 3), "Revolución"),
           (D(y, 12, 25), "Navidad")]
    if (y - 2024) % 6 == 0:
        out.append((D(y, 10, 1), "Transmisión del Poder Ejecutivo"))
    election = mx_federal_election(y)
    if election:
        out.append((election, "electoral"))
    return out


def rules_co(y, notes):
    e = easter(y)
    out = [(D(y, 1, 1), "Año Nuevo"), (D(y, 5, 1), "Trabajo"), (D(y, 7, 20), "Independencia"),
           (D(y, 8, 7), "Boyacá"), (D(y, 12, 8), "Inmaculada"), (D(y, 12, 25), "Navidad"),
           (e - 3 * DAY, "Jueves Santo"), (e - 2 * DAY, "Viernes Santo")]
    moved = [(D(y, 1, 6), "Reyes"), (D(y, 3, 19), "San José"), (D(y, 6, 29), "San Pedro"),
             (D(y, 8, 15), "Asunción"), (D(y, 10, 12), "Raza"), (D(y, 11, 1), "Todos los Santos"),
             (D(y, 11, 11), "Cartagena"), (e + 39 * DAY, "Ascensión"),
             (e + 60 * DAY, "Corpus Christi"), (e + 68 * DAY, "Sagrado Corazón")]
    if y >= 2026:  # Ley 2578 de 2026, art. 6
        moved.append((D(y, 7, 9), "Chiquinquirá"))
    out += [(next_monday(d), k) for d, k in moved]
    # the Easter-based ones must land on Easter+43, +64 and +71
    for feast, monday in ((39, 43), (60, 64), (68, 71)):
        assert next_monday(e + feast * DAY) == e + monday * DAY, (y, feast)
    return out


def rules_cl(y, notes):
    e = easter(y)
    out = [(D(y, 1, 1), "Año Nuevo"), (e - 2 * DAY, "Viernes Santo"), (e - DAY, "Sábado Santo"),
           (D(y, 5, 1), "Trabajo"), (D(y, 5, 21), "Glorias Navales"),
           (cl_pueblos_indigenas(y, notes), "Pueblos Indígenas"),
           (cl_ley_19668(D(y, 6, 29)), "San Pedro y San Pablo"), (D(y, 7, 16), "Virgen del Carmen"),
           (D(y, 8, 15), "Asunción"), (D(y, 9, 18), "Independencia"),
           (D(y, 9, 19), "Glorias del Ejército"), (cl_ley_19668(D(y, 10, 12)), "Dos Mundos"),
           (cl_ley_20299(D(y, 10, 31)), "Iglesias Evangélicas"), (D(y, 11, 1), "Todos los Santos"),
           (D(y, 12, 8), "Inmaculada"), (D(y, 12, 25), "Navidad")]
    if D(y, 1, 1).weekday() == SUN:  # Ley 20.983
        out.append((D(y, 1, 2), "Año Nuevo"))
    sep18 = D(y, 9, 18).weekday()
    if sep18 == TUE:  # Ley 20.215: Monday 17
        out.append((D(y, 9, 17), "Fiestas Patrias"))
    if sep18 == WED:  # Ley 20.215: Friday 20
        out.append((D(y, 9, 20), "Fiestas Patrias"))
    if sep18 == SAT:  # Ley 20.983: Friday 17
        out.append((D(y, 9, 17), "Fiestas Patrias"))
    return out


def rules_ar(y, notes):
    e = easter(y)
    out = [(D(y, 1, 1), "Año Nuevo"), (e - 48 * DAY, "Carnaval"), (e - 47 * DAY, "Carnaval"),
           (D(y, 3, 24), "Memoria"), (D(y, 4, 2), "Malvinas"),
           (e - 3 * DAY, "Jueves Santo (no laborable)"), (e - 2 * DAY, "Viernes Santo"),
           (D(y, 5, 1), "Trabajador"), (D(y, 5, 25), "Revolución de Mayo"),
           (ar_trasladable(D(y, 6, 17), guemes=True), "Güemes"), (D(y, 6, 20), "Belgrano"),
           (D(y, 7, 9), "Independencia"), (ar_trasladable(D(y, 8, 17)), "San Martín"),
           (ar_trasladable(D(y, 10, 12)), "Diversidad Cultural"),
           (ar_trasladable(D(y, 11, 20)), "Soberanía"),
           (D(y, 12, 8), "Inmaculada"), (D(y, 12, 25), "Navidad")]
    declared = DECLARED.get(("AR", y), {"dates": []})["dates"]
    feriados = {d for d, _ in out}
    problems = []
    if len(declared) > 3:
        problems.append("more than three")
    for d in declared:
        if d.weekday() not in (MON, FRI):
            problems.append("%s is not a Monday or a Friday" % d)
        if d in feriados:
            problems.append("%s is already a feriado" % d)
    if problems:
        raise AssertionError("AR %d días con fines turísticos: %s" % (y, "; ".join(problems)))
    out += [(d, "(no laborable)") for d in declared]
    return out


def rules_es(y, notes):
    e = easter(y)
    fixed = [((1, 1), "Año Nuevo"), ((1, 6), "Epifanía"), ((5, 1), "Trabajo"),
             ((8, 15), "Asunción"), ((10, 12), "Fiesta Nacional"), ((11, 1), "Todos los Santos"),
             ((12, 6), "Constitución"), ((12, 8), "Inmaculada"), ((12, 25), "Natividad")]
    return [(D(y, m, d), k) for (m, d), k in fixed] + [(e - 2 * DAY, "Viernes Santo")]


def us_federal(y):
    return [(D(y, 1, 1), "New Year's Day"),
            (nth_weekday(y, 1, MON, 3), "Martin Luther King"),
            (nth_weekday(y, 2, MON, 3), "Washington's Birthday"),
            (nth_weekday(y, 5, MON, -1), "Memorial Day"),
            (D(y, 6, 19), "Juneteenth"),
            (D(y, 7, 4), "Independence Day"),
            (nth_weekday(y, 9, MON, 1), "Labor Day"),
            (nth_weekday(y, 10, MON, 2), "Columbus Day"),
            (D(y, 11, 11), "Veterans Day"),
            (nth_weekday(y, 11, THU, 4), "Thanksgiving Day"),
            (D(y, 12, 25), "Christmas Day")]


def rules_us(y, notes):
    out = []
    # this year's holidays and next year's New Year's Day, which may be observed on 31 December
    for d, k in us_federal(y) + [(D(y + 1, 1, 1), "New Year's Day")]:
        if d.year == y:
            out.append((d, k))
        o = us_observed(d)
        if o != d and o.year == y:
            out.append((o, (k, "(observed)")))
    return out


def rules_us_ma(y, notes):
    return [(nth_weekday(y, 4, MON, 3), "Patriots' Day")]


RULES = {"PE": rules_pe, "MX": rules_mx, "CO": rules_co, "CL": rules_cl, "AR": rules_ar,
         "ES": rules_es, "US": rules_us, "US-MA": rules_us_ma}


# ---------------------------------------------------------------- self-test on known anchors


def self_test():
    """The rules against published calendars of past years (and the two Easter algorithms
    against each other), so that a wrong rule cannot agree with a wrong file."""
    fails = []

    def eq(what, got, want):
        if got != want:
            fails.append("self-test %s: got %s, want %s" % (what, got, want))

    for y in range(1900, 2200):
        a, b = easter_anonymous(y), easter_epact(y)
        if a != b:
            fails.append("self-test Easter %d: %s != %s" % (y, a, b))
    for y, m, d in ((2000, 4, 23), (2008, 3, 23), (2011, 4, 24), (2019, 4, 21), (2024, 3, 31),
                    (2025, 4, 20), (2026, 4, 5), (2027, 3, 28), (2038, 4, 25)):
        eq("Easter %d" % y, easter(y), D(y, m, d))
    # US, 2025 (OPM): MLK 20 Jan, Memorial 26 May, Labor 1 Sep, Columbus 13 Oct, Thanksgiving 27 Nov
    got = {k: d for d, k in us_federal(2025)}
    eq("US 2025 MLK", got["Martin Luther King"], D(2025, 1, 20))
    eq("US 2025 Memorial", got["Memorial Day"], D(2025, 5, 26))
    eq("US 2025 Labor", got["Labor Day"], D(2025, 9, 1))
    eq("US 2025 Columbus", got["Columbus Day"], D(2025, 10, 13))
    eq("US 2025 Thanksgiving", got["Thanksgiving Day"], D(2025, 11, 27))
    eq("US observed 2021-12-31 (New Year 2022 on a Saturday)", us_observed(D(2022, 1, 1)), D(2021, 12, 31))
    eq("US observed 2022-12-26", us_observed(D(2022, 12, 25)), D(2022, 12, 26))
    # Colombia 2025: Reyes 6 Jan (Mon), San José 24 Mar, Ascensión 2 Jun, Corpus 23 Jun,
    # Sagrado Corazón and San Pedro both 30 Jun, Raza 13 Oct, Cartagena 17 Nov
    co = rules_co(2025, [])
    for want, k in ((D(2025, 1, 6), "Reyes"), (D(2025, 3, 24), "San José"),
                    (D(2025, 6, 2), "Ascensión"), (D(2025, 6, 23), "Corpus Christi"),
                    (D(2025, 6, 30), "Sagrado Corazón"), (D(2025, 6, 30), "San Pedro"),
                    (D(2025, 10, 13), "Raza"), (D(2025, 11, 17), "Cartagena")):
        eq("CO 2025 %s" % k, (want, k) in co, True)
    eq("CO 2025 has no Chiquinquirá (Ley 2578 de 2026)", any(k == "Chiquinquirá" for _, k in co), False)
    eq("CO 2029 Chiquinquirá on a Monday stays", (D(2029, 7, 9), "Chiquinquirá") in rules_co(2029, []), True)
    # Chile: 2023 12 Oct (Thu) -> 9 Oct; 31 Oct 2023 (Tue) -> 27 Oct; San Pedro 2023 -> 26 Jun;
    # 2022 San Pedro (Wed) -> 27 Jun; 20 Sep 2024 and 2019 (Fri); 17 Sep 2021 (Fri);
    # Pueblos Indígenas 21 Jun 2022, 21 Jun 2023, 20 Jun 2024, 20 Jun 2025
    eq("CL 12 Oct 2023", cl_ley_19668(D(2023, 10, 12)), D(2023, 10, 9))
    eq("CL 31 Oct 2023", cl_ley_20299(D(2023, 10, 31)), D(2023, 10, 27))
    eq("CL 29 Jun 2023", cl_ley_19668(D(2023, 6, 29)), D(2023, 6, 26))
    eq("CL 29 Jun 2022", cl_ley_19668(D(2022, 6, 29)), D(2022, 6, 27))
    for y, want in ((2024, D(2024, 9, 20)), (2019, D(2019, 9, 20)), (2021, D(2021, 9, 17))):
        eq("CL Fiestas Patrias %d" % y, (want, "Fiestas Patrias") in rules_cl(y, []), True)
    for y, d in ((2022, 21), (2023, 21), (2024, 20), (2025, 20)):
        eq("CL Pueblos Indígenas %d" % y, cl_pueblos_indigenas(y, []), D(y, 6, d))
    # solstice instants (UTC): 2024-06-20 20:51, 2025-06-21 02:42
    for want in (dt.datetime(2024, 6, 20, 20, 51), dt.datetime(2025, 6, 21, 2, 42)):
        got_t = june_solstice_utc(want.year)
        if abs((got_t - want).total_seconds()) > 300:
            fails.append("self-test solstice %d: got %s, want %s" % (want.year, got_t, want))
    # Argentina: 2025 Soberanía 20 Nov (Thu) -> 24 Nov; 2024 Güemes 17 Jun (Mon) stays;
    # 2023 Güemes 17 Jun (Sat) stays; 2022 Güemes 17 Jun (Fri) stays; 2023 San Martín 17 Aug
    # (Thu) -> 21 Aug; 2023 12 Oct (Thu) -> 16 Oct; 2021 20 Nov (Sat) stays
    eq("AR 2025 Soberanía", ar_trasladable(D(2025, 11, 20)), D(2025, 11, 24))
    eq("AR 2024 Güemes", ar_trasladable(D(2024, 6, 17), True), D(2024, 6, 17))
    eq("AR 2022 Güemes", ar_trasladable(D(2022, 6, 17), True), D(2022, 6, 17))
    eq("AR 2023 San Martín", ar_trasladable(D(2023, 8, 17)), D(2023, 8, 21))
    eq("AR 2023 Diversidad", ar_trasladable(D(2023, 10, 12)), D(2023, 10, 16))
    eq("AR 2021 Soberanía", ar_trasladable(D(2021, 11, 20)), D(2021, 11, 20))
    # Mexico 2024: 5 Feb, 18 Mar, 18 Nov; federal election 2 Jun 2024
    eq("MX 2024 Constitución", nth_weekday(2024, 2, MON, 1), D(2024, 2, 5))
    eq("MX 2024 Juárez", nth_weekday(2024, 3, MON, 3), D(2024, 3, 18))
    eq("MX 2024 Revolución", nth_weekday(2024, 11, MON, 3), D(2024, 11, 18))
    eq("MX 2024 election", mx_federal_election(2024), D(2024, 6, 2))
    eq("MX 2025 no federal ordinary election", mx_federal_election(2025), None)
    # Massachusetts: Patriots' Day 21 Apr 2025, 15 Apr 2024
    eq("MA 2025", rules_us_ma(2025, [])[0][0], D(2025, 4, 21))
    eq("MA 2024", rules_us_ma(2024, [])[0][0], D(2024, 4, 15))
    return fails


# ---------------------------------------------------------------- the files

LINE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\t(\S(?:.*\S)?)$")
COUNT_RE = re.compile(r"^# Holidays in this file: (\d+)$")


MARKERS = ("(observed)", "(no laborable)")


def fold(s):
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).casefold()


def matches(keyword, name):
    words = (keyword,) if isinstance(keyword, str) else keyword
    if not all(fold(w) in fold(name) for w in words):
        return False
    return all((m in name) == any(m in w for w in words) for m in MARKERS)


def show(keyword):
    return keyword if isinstance(keyword, str) else " ".join(keyword)


def read_file(path, jur, year):
    """(entries [(date, name)], problems)."""
    problems = []
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], ["not UTF-8: %s" % exc]
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.append("starts with a byte-order mark")
    if "\r" in text:
        problems.append("has carriage returns")
        text = text.replace("\r\n", "\n")
    if not text.endswith("\n"):
        problems.append("does not end with a newline")
    lines = text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")
    if not lines or not lines[0].startswith("# cobro holiday calendar"):
        problems.append("line 1 is not the '# cobro holiday calendar: ...' header")
    if not any(l.startswith("# Legal basis:") for l in lines):
        problems.append("no '# Legal basis:' comment")
    entries, declared_count = [], None
    for n, line in enumerate(lines, 1):
        if len(line.encode("utf-8")) > MAX_LINE:
            problems.append("line %d longer than %d bytes (the engine reads 511)" % (n, MAX_LINE))
        if line != line.rstrip():
            problems.append("line %d has trailing white space" % n)
        if line.startswith("#"):
            m = COUNT_RE.match(line)
            if m:
                declared_count = int(m.group(1))
            continue
        if not line:
            problems.append("line %d is empty (use '#')" % n)
            continue
        m = LINE_RE.match(line)
        if not m:
            problems.append("line %d is not 'YYYY-MM-DD<TAB>name': %r" % (n, line))
            continue
        try:
            d = D(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            problems.append("line %d: no such date %s" % (n, line[:10]))
            continue
        if d.year != year:
            problems.append("line %d: %s is not in %d" % (n, d, year))
        if entries and d < entries[-1][0]:
            problems.append("line %d: %s is out of order" % (n, d))
        if (d, m.group(4)) in entries:
            problems.append("line %d: duplicate of an earlier line" % n)
        entries.append((d, m.group(4)))
    if declared_count is None:
        problems.append("no '# Holidays in this file: N' comment")
    elif declared_count != len(entries):
        problems.append("says %d holidays, has %d" % (declared_count, len(entries)))
    return entries, problems


def compare(expected, entries):
    """Every expected (date, keyword) must match one file line; every file line one rule."""
    problems, used = [], set()
    for d, k in sorted(expected, key=lambda e: (e[0], show(e[1]))):
        match = [i for i, (fd, name) in enumerate(entries)
                 if fd == d and i not in used and matches(k, name)]
        if match:
            used.add(match[0])
        else:
            there = [name for fd, name in entries if fd == d]
            problems.append("missing %s %s (%s)%s" % (d, d.strftime("%a"), show(k),
                            "; the file has %r there" % there if there else ""))
    for i, (d, name) in enumerate(entries):
        if i not in used:
            problems.append("unexpected %s %s %r" % (d, d.strftime("%a"), name))
    return problems


def expected(jur, year, notes):
    """What the law gives jur in year, a region's country included (cobro prints both)."""
    out = RULES[jur](year, notes)
    if "-" in jur:
        out += RULES[jur.split("-")[0]](year, notes)
    return out


def check_cobroctl(args, notes):
    """(passed, failed) for `cobroctl policy holidays` over the years asked."""
    import subprocess

    first, last = (int(y) for y in args.years.split("-"))
    passed = failed = 0
    for jur in JURISDICTIONS:
        for year in range(first, last + 1):
            what = "%s %d (cobroctl)" % (jur, year)
            cmd = [args.cobroctl, "policy", "holidays", jur, str(year)]
            if args.rules:
                cmd += ["--rules", args.rules]
            run = subprocess.run(cmd, capture_output=True, text=True)
            knowable = jur != "AR" or ("AR", year) in DECLARED
            problems = []
            if run.returncode == 1 and "no holiday calendar for" in run.stderr:
                if knowable:
                    problems.append("cobro says unknown: %s" % run.stderr.strip())
            elif run.returncode != 0:
                problems.append("exit %d: %s" % (run.returncode, run.stderr.strip()))
            elif not knowable:
                problems.append("known, but no decree for its días no laborables is declared")
            else:
                entries = []
                for line in run.stdout.splitlines():
                    m = LINE_RE.match(line)
                    if not m:
                        problems.append("not 'YYYY-MM-DD<TAB>name': %r" % line)
                        continue
                    entries.append((D(int(m.group(1)), int(m.group(2)), int(m.group(3))), m.group(4)))
                if entries != sorted(entries, key=lambda e: e[0]):
                    problems.append("not sorted by date")
                try:
                    problems += compare(expected(jur, year, notes), entries)
                except AssertionError as exc:
                    problems.append("rule error: %s" % exc)
            ok = report(what, problems, "ok   %-22s %s" % (what, "unknown, as it must be" if not knowable
                                                         else "%d holidays" % len(run.stdout.splitlines())))
            passed, failed = passed + ok, failed + (not ok)
    return passed, failed


def report(what, problems, ok_line):
    """Prints the problems, or ok_line when there are none; whether there were none."""
    for p in problems:
        print("FAIL %s: %s" % (what, p))
    if not problems:
        print(ok_line)
    return not problems


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", default=os.path.join(here, "..", "..", "tests", "holidays", "legacy"))
    ap.add_argument("--cobroctl", help="check `BIN policy holidays` instead of the files")
    ap.add_argument("--rules", help="with --cobroctl: the rules file (default: cobroctl's own search)")
    ap.add_argument("--years", default="2026-2030", help="with --cobroctl: FIRST-LAST")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every date checked")
    args = ap.parse_args()

    failures = self_test()
    for f in failures:
        print("FAIL " + f)
    passed = failed = 0
    notes = []
    if args.cobroctl:
        passed, failed = check_cobroctl(args, notes)
        return finish(failures, passed, failed, notes)
    expected_files = {"%s-%d.txt" % (j, y) for j in JURISDICTIONS for y in YEARS}
    for name in sorted(os.listdir(args.dir)):
        if name.endswith(".txt") and name not in expected_files:
            notes.append("%s is not checked (no rules for it)" % name)
    for jur in JURISDICTIONS:
        for year in YEARS:
            name = "%s-%d.txt" % (jur, year)
            path = os.path.join(args.dir, name)
            if not os.path.exists(path):
                print("FAIL %s: missing" % name)
                failed += 1
                continue
            entries, problems = read_file(path, jur, year)
            try:
                expected = RULES[jur](year, notes)
            except AssertionError as exc:
                expected, problems = [], problems + ["rule error: %s" % exc]
            problems += compare(expected, entries)
            if not report(name, problems, "ok   %-15s %2d holidays" % (name, len(entries))):
                failed += 1
            else:
                passed += 1
                if args.verbose:
                    for d, n in entries:
                        print("       %s %s  %s" % (d, d.strftime("%a"), n))
    return finish(failures, passed, failed, notes)


def finish(failures, passed, failed, notes):
    for n in sorted(set(notes)):
        print("note " + n)
    if failures:
        failed += 1
    else:
        passed += 1
        print("ok   self-test (Easter 1900-2199 by two algorithms, past official calendars)")
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
