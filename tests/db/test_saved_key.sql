-- as: t_col1
-- Issue 15, line 1, as a collector: a save's key is claimed once
-- (saved_key, 021_saved_keys.sql). The same save repeated (the workstation
-- retried after the answer was lost) makes one event; a key is one save's,
-- on one account; nobody but the functions reads or writes the keys.
BEGIN;
\ir lib.sql
SELECT plan(9);

SELECT throws_ok('SELECT count(*) FROM saved_key', '42501', 'permission denied for table saved_key',
                 'a collector cannot read the keys');
SELECT throws_ok(format('INSERT INTO saved_key (key, account_id) VALUES (''00000000-0000-4000-8000-000000000f01'', %s)',
                        :acc_col1_1),
                 '42501', 'permission denied for table saved_key', 'a collector cannot claim a key by hand');

SELECT ok(cobro.account_add_note('00000000-0000-4000-8000-000000000f02', :acc_col1_1, 'Guardada una vez') > 0,
          'a note is saved');
SELECT is(cobro.account_add_note('00000000-0000-4000-8000-000000000f02', :acc_col1_1, 'Guardada una vez'),
          (SELECT id FROM event WHERE data->>'key' = '00000000-0000-4000-8000-000000000f02'),
          'saved again with its key, it returns the first event');
SELECT is((SELECT count(*) FROM event WHERE data->>'key' = '00000000-0000-4000-8000-000000000f02'), 1::bigint,
          '... and makes no second one');

SELECT ok(cobro.account_log_call('00000000-0000-4000-8000-000000000f03', :acc_col1_1, 'no_answer', NULL, NULL) > 0,
          'a call is saved');
SELECT lives_ok(format('SELECT cobro.account_log_call(''00000000-0000-4000-8000-000000000f03'', %s, ''no_answer'', NULL, NULL)',
                       :acc_col1_1), 'replayed, it is taken as done');
SELECT is((SELECT count(*) FROM event WHERE data->>'key' = '00000000-0000-4000-8000-000000000f03'), 1::bigint,
          '... once');

SELECT throws_ok(format('SELECT cobro.account_add_note(''00000000-0000-4000-8000-000000000f02'', %s, ''otra'')',
                        :acc_col1_2),
                 '23505', 'this key was used on another account', 'a key used on another account is refused');

SELECT * FROM finish();
ROLLBACK;
