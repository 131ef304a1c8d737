/* Moments and the contact policy's verdicts as a collector reads them, in
 * the debtor's time zone and the screen's language. */
#ifndef COBRO_FORMAT_H
#define COBRO_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "policy.h"

struct tz;

/* The moment the contact policy is asked about: now, or $COBRO_NOW
 * ("2026-11-24T15:00:00Z") to see the worklist as it would be then (training,
 * and tests that must not depend on the hour they run at). */
int64_t ui_now(void);

/* A moment as a person reads it, in zone z: "19:00" today, "Mon 07:00" within
 * a week, else the date and time. */
void ui_when(char *out, size_t n, const struct tz *z, int64_t t);
/* The language of the policy's reasons the screen shows (LANG_ES, LANG_EN). */
enum lang ui_lang(void);
/* A verdict in a few words, its times in zone z: "allowed until 19:00",
 * "allowed", "refused CO-DAY, next Mon 07:00", "refused CO-DAY"; refused before any rule,
 * its reason: "refused: no usable number: +52*****4321 marked wrong". */
void ui_verdict(char *out, size_t n, const struct policy_verdict *v, const struct tz *z);

#endif
