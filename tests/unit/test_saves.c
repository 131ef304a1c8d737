/* src/core/saves.c: the saves that wait for the database, kept in a file of
 * the person's own when cobro must exit: where it goes, written whole (a
 * temporary file renamed), 0600 in a 0700 directory, read back exactly, and
 * refused whole when it is not one or another login's. (Saving them is
 * tests/dbc/test_saves.c and tests/e2e/test_saves.sh.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "saves.h"

static char dir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/cobro-test-saves.XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The test's directory, removed without a shell between us and its name. */
static int teardown(void **state)
{
	(void)state;
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void path_follows_xdg(void **state)
{
	char p[512], want[512];

	(void)state;
	setenv("XDG_STATE_HOME", "/srv/state", 1);
	assert_true(saves_path(p, sizeof p, "ana"));
	assert_string_equal(p, "/srv/state/cobro/pending/ana");
	/* Relative: ignored, as the XDG specification says. */
	setenv("XDG_STATE_HOME", "state", 1);
	setenv("HOME", "/home/ana", 1);
	assert_true(saves_path(p, sizeof p, "ana"));
	assert_string_equal(p, "/home/ana/.local/state/cobro/pending/ana");
	unsetenv("XDG_STATE_HOME");
	assert_true(saves_path(p, sizeof p, "ana"));
	snprintf(want, sizeof want, "/home/ana/.local/state/cobro/pending/ana");
	assert_string_equal(p, want);
	/* A login that is no file name names no file. */
	assert_false(saves_path(p, sizeof p, "../ana"));
	assert_false(saves_path(p, sizeof p, ".ana"));
	assert_false(saves_path(p, sizeof p, ""));
	unsetenv("HOME");
	assert_false(saves_path(p, sizeof p, "ana"));
}

static void fill(struct save_queue *q)
{
	struct save_item call = { .kind = SAVE_CALL, .account_id = 42, .outcome = OUTCOME_LEFT_MESSAGE, .point_id = 7,
		                  .text = "Dejó recado\tcon la hija\nllamar \\ mañana" };
	struct save_item note = { .kind = SAVE_NOTE, .account_id = 43, .text = "Nota escrita durante el corte" };
	struct save_item cb = { .kind = SAVE_CALLBACK, .account_id = 42, .due = 1893456000, .zone = "America/Lima" };

	contact_new_key(call.key);
	contact_new_key(note.key);
	contact_new_key(cb.key);
	saves_add(q, &call);
	saves_add(q, &note);
	saves_add(q, &cb);
}

static void written_and_read_back(void **state)
{
	struct save_queue q = { 0 }, back = { 0 };
	char path[512], sub[512], err[512];
	struct stat st;
	DIR *d;
	struct dirent *e;
	int files = 0;

	(void)state;
	fill(&q);
	snprintf(sub, sizeof sub, "%s/state/cobro/pending", dir);
	snprintf(path, sizeof path, "%s/ana", sub);
	assert_true(saves_write(&q, path, "ana", err, sizeof err));
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* No temporary file is left beside it. */
	assert_non_null(d = opendir(sub));
	while ((e = readdir(d)))
		files += e->d_name[0] != '.';
	closedir(d);
	assert_int_equal(files, 1);

	assert_true(saves_read(&back, path, "ana", err, sizeof err));
	assert_int_equal(back.n, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(back.items[i].kind, q.items[i].kind);
		assert_string_equal(back.items[i].key, q.items[i].key);
		assert_int_equal(back.items[i].account_id, q.items[i].account_id);
		assert_int_equal(back.items[i].point_id, q.items[i].point_id);
		assert_int_equal(back.items[i].due, q.items[i].due);
		assert_string_equal(back.items[i].zone, q.items[i].zone);
		if (q.items[i].text)
			assert_string_equal(back.items[i].text, q.items[i].text);
		else
			assert_null(back.items[i].text);
	}
	assert_int_equal(back.items[0].outcome, OUTCOME_LEFT_MESSAGE);

	/* Another login's file is not theirs to save. */
	saves_free(&back);
	assert_false(saves_read(&back, path, "luis", err, sizeof err));
	assert_int_equal(back.n, 0);
	assert_non_null(strstr(err, "another login"));

	/* Emptied, the file goes. */
	saves_free(&q);
	assert_true(saves_write(&q, path, "ana", err, sizeof err));
	assert_int_equal(access(path, F_OK), -1);
	/* No file: nothing waits. */
	assert_true(saves_read(&back, path, "ana", err, sizeof err));
	assert_int_equal(back.n, 0);
}

/* A message handed over by the send screen: every part back exactly, tabs
 * and line breaks in its body, subject and params included. */
static void message_written_and_read_back(void **state)
{
	char *params[] = { "Señora\tNúñez", "S/ 261.00\nmañana", "" };
	struct save_item m = {
		.kind = SAVE_MESSAGE,
		.key = "00000000-0000-4000-8000-00000000000a",
		.account_id = 77,
		.point_id = 9,
		.text = "Hola\tCarmen,\nsu cuota\\vence 👍🏽",
		.msg = { .channel = CH_WHATSAPP, .template_id = 12, .subject = "Asunto\r\nraro",
		         .params = params, .nparams = 3, .segments = 2, .ucs2 = true },
	};
	struct save_queue q = { 0 }, back = { 0 };
	char path[512], err[512];
	const struct save_item *b;

	(void)state;
	snprintf(path, sizeof path, "%s/pending/ana", dir);
	saves_add(&q, &m);
	m.msg.subject = NULL;
	m.msg.nparams = 0;
	m.msg.channel = CH_SMS;
	snprintf(m.key, sizeof m.key, "%s", "00000000-0000-4000-8000-00000000000b");
	saves_add(&q, &m);
	assert_true(saves_write(&q, path, "ana", err, sizeof err));
	assert_true(saves_read(&back, path, "ana", err, sizeof err));
	assert_int_equal(back.n, 2);
	b = &back.items[0];
	assert_int_equal(b->kind, SAVE_MESSAGE);
	assert_string_equal(b->key, "00000000-0000-4000-8000-00000000000a");
	assert_int_equal(b->account_id, 77);
	assert_int_equal(b->point_id, 9);
	assert_string_equal(b->text, "Hola\tCarmen,\nsu cuota\\vence 👍🏽");
	assert_int_equal(b->msg.channel, CH_WHATSAPP);
	assert_int_equal(b->msg.template_id, 12);
	assert_string_equal(b->msg.subject, "Asunto\r\nraro");
	assert_int_equal(b->msg.nparams, 3);
	assert_string_equal(b->msg.params[0], "Señora\tNúñez");
	assert_string_equal(b->msg.params[1], "S/ 261.00\nmañana");
	assert_string_equal(b->msg.params[2], "");
	assert_int_equal(b->msg.segments, 2);
	assert_true(b->msg.ucs2);
	b = &back.items[1];
	assert_int_equal(b->msg.channel, CH_SMS);
	assert_null(b->msg.subject);
	assert_int_equal(b->msg.nparams, 0);
	saves_free(&q);
	saves_free(&back);
}

/* A promise kept while the database was away: every part back exactly,
 * its note with a tab and a line break, and one without a note. */
static void promise_written_and_read_back(void **state)
{
	struct save_item p = {
		.kind = SAVE_PROMISE,
		.key = "00000000-0000-4000-8000-00000000000c",
		.account_id = 77,
		.text = "pagará\ten quincena\nsin falta",
		.promise = { .amount = 123456, .discount = 5000, .first_due = 20820, .count = 3,
		             .freq = PROMISE_MONTHLY, .channel = "whatsapp", .replace = 41 },
	};
	struct save_queue q = { 0 }, back = { 0 };
	char path[512], err[512];
	const struct save_item *b;

	(void)state;
	snprintf(path, sizeof path, "%s/pending/ana", dir);
	saves_add(&q, &p);
	p.text = NULL;
	p.promise = (struct save_promise){ .amount = 9, .first_due = 20000, .count = 1, .freq = PROMISE_ONCE,
		                           .channel = "call" };
	snprintf(p.key, sizeof p.key, "%s", "00000000-0000-4000-8000-00000000000d");
	saves_add(&q, &p);
	assert_true(saves_write(&q, path, "ana", err, sizeof err));
	assert_true(saves_read(&back, path, "ana", err, sizeof err));
	assert_int_equal(back.n, 2);
	b = &back.items[0];
	assert_int_equal(b->kind, SAVE_PROMISE);
	assert_string_equal(b->key, "00000000-0000-4000-8000-00000000000c");
	assert_int_equal(b->account_id, 77);
	assert_string_equal(b->text, "pagará\ten quincena\nsin falta");
	assert_int_equal(b->promise.amount, 123456);
	assert_int_equal(b->promise.discount, 5000);
	assert_int_equal(b->promise.first_due, 20820);
	assert_int_equal(b->promise.count, 3);
	assert_int_equal(b->promise.freq, PROMISE_MONTHLY);
	assert_string_equal(b->promise.channel, "whatsapp");
	assert_int_equal(b->promise.replace, 41);
	assert_int_equal(b->point_id, 0);
	assert_int_equal(b->due, 0);
	b = &back.items[1];
	assert_null(b->text);
	assert_int_equal(b->promise.freq, PROMISE_ONCE);
	assert_int_equal(b->promise.replace, 0);
	assert_string_equal(b->promise.channel, "call");
	saves_free(&q);
	saves_free(&back);
}

static void damaged_file_refused_whole(void **state)
{
	static const char *const bad[] = {
		"something else\nlogin\tana\n",
		"cobro pending saves 1\nlogin\tana\nnote\tnot-a-key\t43\t-\t0\t0\t-\t+hola\n",
		"cobro pending saves 1\nlogin\tana\nnote\t00000000-0000-4000-8000-000000000001\t-4\t-\t0\t0\t-\t+hola\n",
		"cobro pending saves 1\nlogin\tana\ncall\t00000000-0000-4000-8000-000000000001\t4\tsang\t0\t0\t-\t-\n",
		"cobro pending saves 1\nlogin\tana\nnote\t00000000-0000-4000-8000-000000000001\t4\t-\t0\t0\t-\t-\n",
		"cobro pending saves 1\nlogin\tana\nnote\t00000000-0000-4000-8000-000000000001\t4\t-\t0\t0\t-\t+a\\qb\n",
		"cobro pending saves 1\nlogin\tana\nnote\t00000000-0000-4000-8000-000000000001\t4\t-\t0\t0\t-\n",
		"cobro pending saves 1\n",
		/* messages: no channel a message goes on, a call's; no body; a
		 * count of params that is not theirs; a missing point */
		"cobro pending saves 1\nlogin\tana\nmessage\t00000000-0000-4000-8000-000000000001\t4\tcall\t9\t0\t-\t+hola\t0\t1\t0\t-\t0\n",
		"cobro pending saves 1\nlogin\tana\nmessage\t00000000-0000-4000-8000-000000000001\t4\tsms\t9\t0\t-\t-\t0\t1\t0\t-\t0\n",
		"cobro pending saves 1\nlogin\tana\nmessage\t00000000-0000-4000-8000-000000000001\t4\tsms\t9\t0\t-\t+hola\t0\t1\t0\t-\t2\ta\n",
		"cobro pending saves 1\nlogin\tana\nmessage\t00000000-0000-4000-8000-000000000001\t4\tsms\t0\t0\t-\t+hola\t0\t1\t0\t-\t0\n",
		"cobro pending saves 1\nlogin\tana\nmessage\t00000000-0000-4000-8000-000000000001\t4\tsms\t9\t0\t-\t+hola\n",
		"cobro pending saves 1\nlogin\tana\nnote\t00000000-0000-4000-8000-000000000001\t4\t-\t0\t0\t-\t+hola\textra\n",
		/* promises: no frequency, none known, a count of none, no
		 * channel one is given on, a missing part, a zone */
		"cobro pending saves 1\nlogin\tana\npromise\t00000000-0000-4000-8000-000000000001\t4\t-\t0\t20000\t-\t-\t900\t3\t0\tcall\n",
		"cobro pending saves 1\nlogin\tana\npromise\t00000000-0000-4000-8000-000000000001\t4\tdaily\t0\t20000\t-\t-\t900\t3\t0\tcall\n",
		"cobro pending saves 1\nlogin\tana\npromise\t00000000-0000-4000-8000-000000000001\t4\tmonthly\t0\t20000\t-\t-\t900\t0\t0\tcall\n",
		"cobro pending saves 1\nlogin\tana\npromise\t00000000-0000-4000-8000-000000000001\t4\tmonthly\t0\t20000\t-\t-\t900\t3\t0\tfax\n",
		"cobro pending saves 1\nlogin\tana\npromise\t00000000-0000-4000-8000-000000000001\t4\tmonthly\t0\t20000\t-\t-\t900\t3\t0\n",
		"cobro pending saves 1\nlogin\tana\npromise\t00000000-0000-4000-8000-000000000001\t4\tmonthly\t0\t20000\tUTC\t-\t900\t3\t0\tcall\n",
	};
	char path[512], err[512];

	(void)state;
	snprintf(path, sizeof path, "%s/bad", dir);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		FILE *f = fopen(path, "w");
		struct save_queue q = { 0 };

		assert_non_null(f);
		fputs(bad[i], f);
		fclose(f);
		err[0] = '\0';
		assert_false(saves_read(&q, path, "ana", err, sizeof err));
		assert_int_equal(q.n, 0);
		assert_true(err[0] != '\0');
	}
}

/* Two windows of one login end with saves waiting: both are kept. The
 * first started with the file's one item (loaded) and saved it; the second
 * kept its own meanwhile. */
static void two_windows_both_kept(void **state)
{
	struct save_queue first = { 0 }, second = { 0 }, loaded = { 0 }, back = { 0 };
	struct save_item old = { .kind = SAVE_NOTE, .account_id = 40, .text = "Del día anterior" };
	struct save_item a = { .kind = SAVE_NOTE, .account_id = 41, .text = "De la primera ventana" };
	struct save_item b = { .kind = SAVE_NOTE, .account_id = 42, .text = "De la segunda ventana" };
	char path[512], err[512];

	(void)state;
	snprintf(path, sizeof path, "%s/two/pending/ana", dir);
	contact_new_key(old.key);
	contact_new_key(a.key);
	contact_new_key(b.key);
	saves_add(&loaded, &old); /* the first read it at its start, and saved it */
	assert_true(saves_write(&loaded, path, "ana", err, sizeof err));
	saves_add(&second, &b);
	assert_true(saves_keep(&second, NULL, path, "ana", err, sizeof err)); /* ended first */
	saves_add(&first, &a);
	assert_true(saves_keep(&first, &loaded, path, "ana", err, sizeof err));
	assert_true(saves_read(&back, path, "ana", err, sizeof err));
	assert_int_equal(back.n, 2);
	assert_string_equal(back.items[0].key, b.key);
	assert_string_equal(back.items[1].key, a.key);
	saves_free(&back);
	/* A window that saved all it read at its start, and has nothing
	 * waiting, removes what it read and leaves another's. */
	saves_add(&loaded, &a);
	saves_free(&first);
	assert_true(saves_keep(&first, &loaded, path, "ana", err, sizeof err));
	assert_true(saves_read(&back, path, "ana", err, sizeof err));
	assert_int_equal(back.n, 1);
	assert_string_equal(back.items[0].key, b.key);
	saves_free(&back);
	/* Nothing left at all: the file goes. */
	saves_add(&loaded, &b);
	assert_true(saves_keep(&first, &loaded, path, "ana", err, sizeof err));
	assert_int_equal(access(path, F_OK), -1);
	saves_free(&second);
	saves_free(&loaded);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(path_follows_xdg),
		cmocka_unit_test(written_and_read_back),
		cmocka_unit_test(message_written_and_read_back),
		cmocka_unit_test(promise_written_and_read_back),
		cmocka_unit_test(damaged_file_refused_whole),
		cmocka_unit_test(two_windows_both_kept),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
