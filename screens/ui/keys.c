#include "keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static const struct ui_action_info action_info[] = {
#define X(id, name, label, help) [ACTION_##id - ACTION_NONE] = { name, label, help },
	UI_ACTIONS(X)
#undef X
};

const struct ui_action_info *ui_action_info(enum ui_action a)
{
	if (a <= ACTION_NONE || a >= ACTION_COUNT)
		return NULL;
	return &action_info[a - ACTION_NONE];
}

enum ui_action ui_action_named(const char *name)
{
	for (int a = ACTION_NONE + 1; a < ACTION_COUNT; a++)
		if (!strcmp(action_info[a - ACTION_NONE].name, name))
			return (enum ui_action)a;
	return ACTION_NONE;
}

/* Keys every screen understands unless its own keymap says otherwise. */
static const struct keybind global_binds[] = {
	{ 'q', ACTION_QUIT },       { '?', ACTION_HELP },          { KEY_F(1), ACTION_HELP },
	{ 27, ACTION_BACK },        { KEY_UP, ACTION_UP },         { 'k', ACTION_UP },
	{ KEY_DOWN, ACTION_DOWN },  { 'j', ACTION_DOWN },          { KEY_PPAGE, ACTION_PAGE_UP },
	{ KEY_NPAGE, ACTION_PAGE_DOWN }, { KEY_HOME, ACTION_FIRST }, { 'g', ACTION_FIRST },
	{ KEY_END, ACTION_LAST },   { 'G', ACTION_LAST },          { 'r', ACTION_REFRESH },
	{ 12 /* ^L */, ACTION_REDRAW }, { 'R', ACTION_REVIEW },  { 'd', ACTION_DASHBOARD },
};

/* From cobro.conf: consulted before any screen's keymap. */
static struct keybind *user_binds;
static int user_nbinds;

/* What this person's role may not do (ui_keys_withhold()). */
static bool withheld[ACTION_COUNT - ACTION_NONE];

void ui_keys_withhold(enum ui_action a)
{
	if (a > ACTION_NONE && a < ACTION_COUNT)
		withheld[a - ACTION_NONE] = true;
}

/* What this person's role may not use, offered nowhere (ui_keys_hide()). */
static bool hidden[ACTION_COUNT - ACTION_NONE];

void ui_keys_hide(enum ui_action a)
{
	if (a > ACTION_NONE && a < ACTION_COUNT)
		hidden[a - ACTION_NONE] = true;
}

static enum ui_action lookup(const struct keybind *b, int n, int key)
{
	for (int i = 0; i < n; i++)
		if (b[i].key == key)
			return withheld[b[i].action - ACTION_NONE] ? ACTION_NONE : b[i].action;
	return ACTION_NONE;
}

enum ui_action ui_key_action(const struct keymap *km, int key)
{
	enum ui_action a = lookup(user_binds, user_nbinds, key);

	if (a == ACTION_NONE && km)
		a = lookup(km->binds, km->count, key);
	return a != ACTION_NONE ? a : lookup(global_binds, (int)ARRAY_SIZE(global_binds), key);
}

int ui_key_for(const struct keymap *km, enum ui_action a)
{
	if (a > ACTION_NONE && a < ACTION_COUNT && (withheld[a - ACTION_NONE] || hidden[a - ACTION_NONE]))
		return -1;
	for (int i = 0; i < user_nbinds; i++)
		if (user_binds[i].action == a)
			return user_binds[i].key;
	for (int i = 0; km && i < km->count; i++)
		if (km->binds[i].action == a)
			return km->binds[i].key;
	/* A shared key the screen binds to something else (the account's d,
	 * a callback done, not the dashboard) does not do it there. */
	for (size_t i = 0; i < ARRAY_SIZE(global_binds); i++)
		if (global_binds[i].action == a && ui_key_action(km, global_binds[i].key) == a)
			return global_binds[i].key;
	return -1;
}

static const struct {
	const char *name;
	int key;
} key_names[] = {
	{ "Enter", '\n' }, { "Esc", 27 },         { "Tab", '\t' },        { "Space", ' ' },
	{ "Up", KEY_UP },   { "Down", KEY_DOWN }, { "PgUp", KEY_PPAGE }, { "PgDn", KEY_NPAGE },
	{ "Home", KEY_HOME }, { "End", KEY_END }, { "Left", KEY_LEFT }, { "Right", KEY_RIGHT },
};

const char *ui_key_name(int key, char *buf, size_t n)
{
	if (key == KEY_ENTER)
		key = '\n';
	for (size_t i = 0; i < ARRAY_SIZE(key_names); i++)
		if (key_names[i].key == key) {
			snprintf(buf, n, "%s", key_names[i].name);
			return buf;
		}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, n, "F%d", key - KEY_F(0));
	else if (key > 0 && key < 32)
		snprintf(buf, n, "^%c", key + '@');
	else if (key > 32 && key < 127)
		snprintf(buf, n, "%c", key);
	else
		snprintf(buf, n, "%s", keyname(key) ? keyname(key) : "?");
	return buf;
}

/* The key a name stands for ("q", "^R", "Enter", "F5", "PgDn"), or -1. */
static int key_parse(const char *name)
{
	if (name[0] && !name[1] && name[0] > ' ' && name[0] < 127)
		return name[0];
	if (name[0] == '^' && name[1] >= '@' && name[1] <= '_' && !name[2])
		return name[1] - '@';
	if (name[0] == 'F' && name[1] >= '1' && name[1] <= '9') {
		int n = atoi(name + 1);

		if (n >= 1 && n <= 12)
			return KEY_F(n);
	}
	for (size_t i = 0; i < ARRAY_SIZE(key_names); i++)
		if (strcmp(name, key_names[i].name) == 0)
			return key_names[i].key;
	return -1;
}

bool ui_keys_configure(const struct cobro_conf *conf, char *err, size_t errlen)
{
	free(user_binds);
	user_binds = conf->nkeys ? xcalloc((size_t)conf->nkeys, sizeof *user_binds) : NULL;
	user_nbinds = 0;
	for (int i = 0; i < conf->nkeys; i++) {
		const struct conf_key *k = &conf->keys[i];
		enum ui_action a = ui_action_named(k->action);
		int key = key_parse(k->key);

		if (a == ACTION_NONE) {
			snprintf(err, errlen, "%s:%d: keys.%s: no action of that name (cobro(1) lists them)",
			         conf->path, k->line, k->action);
			return false;
		}
		if (key < 0) {
			snprintf(err, errlen, "%s:%d: keys.%s: \"%s\" is not a key (a character, ^X, F1-F12, "
			         "Enter, Esc, Tab, Space, Up, Down, Left, Right, PgUp, PgDn, Home, End)",
			         conf->path, k->line, k->action, k->key);
			return false;
		}
		user_binds[user_nbinds++] = (struct keybind){ key, a };
	}
	return true;
}
