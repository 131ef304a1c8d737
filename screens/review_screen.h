/* The review queues (review.c) as the worklist sees them: the collector's
 * side, the decisions a supervisor made on the person's own accounts, said
 * on the status line as they come (approvals.h does the same for promises). */
#ifndef COBRO_REVIEW_SCREEN_H
#define COBRO_REVIEW_SCREEN_H

struct ui;

/* At start: notes where the news of decisions starts. */
void review_offer(struct ui *ui);
/* Every notification the worklist hears: a change to an account may be a
 * decision on one of the person's accounts. */
void review_heard(struct ui *ui, const char *channel, const char *payload);
/* At a wake-up, once the status line is settled: the decisions heard of,
 * said ("Dispute on REF cleared by sofia: REASON"). */
void review_news(struct ui *ui);
/* Leaving cobro: what the watch keeps is freed. */
void review_forget(void);

#endif
