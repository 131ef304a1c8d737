-- The nouns of cobro (DESIGN.md section 4); docs/schema.md explains each.
-- Money: bigint minor units beside an ISO 4217 code. Times: timestamptz.
-- Closed vocabularies are text with CHECK rather than enums: a CHECK can be
-- widened in a later migration inside a transaction, an enum value cannot be
-- removed at all.
-- Its partition function and the call that made the first months
-- moved to src/sql/functions/event_partitions.sql; a database that ran
-- the text before is at the same schema (cobroctl migrate accepts it):
-- supersedes: ddcc1a47347c9d0bdb112053354b0c0d
SET LOCAL ROLE cobro_owner;
SET LOCAL search_path = cobro, public;

CREATE TABLE team (
	id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code  text NOT NULL UNIQUE CHECK (code ~ '^[a-z][a-z0-9_-]{0,31}$'),
	name  text NOT NULL
);

-- One row per person; login is their PostgreSQL role.
CREATE TABLE agent (
	id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	login     text NOT NULL UNIQUE CHECK (login ~ '^[a-z][a-z0-9_.-]{0,62}$'),
	name      text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	role      text NOT NULL CHECK (role IN ('collector', 'supervisor', 'lead', 'admin', 'daemon')),
	team_id   bigint REFERENCES team,
	language  text NOT NULL DEFAULT 'es' CHECK (language IN ('es', 'en')),
	active    boolean NOT NULL DEFAULT true,
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK (role IN ('admin', 'daemon') OR team_id IS NOT NULL)
);
CREATE INDEX agent_team_idx ON agent (team_id);

CREATE TABLE creditor (
	id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code      text NOT NULL UNIQUE,
	name      text NOT NULL,
	email_from text,
	reply_to  text,
	pay_link  text              -- base URL; the account reference is appended
);

CREATE TABLE debtor (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	first_name   text NOT NULL,
	national_id  text,
	language     text NOT NULL DEFAULT 'es' CHECK (language IN ('es', 'en')),
	jurisdiction text NOT NULL CHECK (jurisdiction ~ '^[A-Z]{2}(-[A-Z]{2})?$'),
	time_zone    text NOT NULL,
	-- States that stop all contact (cease, attorney, sued, insolvent, deceased).
	state        text NOT NULL DEFAULT 'active'
	             CHECK (state IN ('active', 'cease', 'attorney', 'sued', 'insolvent', 'deceased')),
	created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX debtor_national_id_idx ON debtor (national_id);

-- Values are normalised on the way in: E.164 for numbers, lower case for email.
CREATE TABLE contact_point (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	debtor_id    bigint NOT NULL REFERENCES debtor ON DELETE CASCADE,
	kind         text NOT NULL CHECK (kind IN ('phone', 'mobile', 'email', 'whatsapp', 'address')),
	value        text NOT NULL CHECK (length(value) BETWEEN 1 AND 320),
	-- Channels the debtor authorised on this point (call, sms, email, whatsapp, letter, visit).
	consent      text[] NOT NULL DEFAULT '{}',
	-- Channels the debtor opted out of on this point (STOP, BAJA, an email unsubscribe).
	opted_out    text[] NOT NULL DEFAULT '{}',
	opted_out_at timestamptz,
	bad_since    timestamptz,   -- wrong number, bounced address
	is_primary   boolean NOT NULL DEFAULT false,
	created_at   timestamptz NOT NULL DEFAULT now(),
	UNIQUE (debtor_id, kind, value),
	CHECK (kind <> 'email' OR value = lower(value)),
	CHECK (kind NOT IN ('phone', 'mobile', 'whatsapp') OR value ~ '^\+[1-9][0-9]{6,14}$')
);
CREATE INDEX contact_point_value_idx ON contact_point (value);

CREATE TABLE account (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	debtor_id     bigint NOT NULL REFERENCES debtor,
	creditor_id   bigint NOT NULL REFERENCES creditor,
	product       text NOT NULL,
	reference     text NOT NULL UNIQUE,
	currency      char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
	balance       bigint NOT NULL CHECK (balance >= 0),
	past_due      bigint NOT NULL DEFAULT 0 CHECK (past_due >= 0 AND past_due <= balance),
	oldest_due    date,          -- oldest unpaid installment; days past due derive from it
	status        text NOT NULL DEFAULT 'active'
	              CHECK (status IN ('active', 'dispute', 'legal_hold', 'cease', 'agency', 'paid', 'closed')),
	segment       text NOT NULL DEFAULT 'standard',
	score         smallint NOT NULL DEFAULT 500 CHECK (score BETWEEN 0 AND 1000), -- p(pay) x 1000
	team_id       bigint NOT NULL REFERENCES team,
	agent_id      bigint REFERENCES agent,
	next_action_at timestamptz,
	last_contact_at timestamptz,
	replied_at    timestamptz,   -- the debtor wrote back and nobody has looked yet
	created_at    timestamptz NOT NULL DEFAULT now(),
	updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_agent_idx ON account (agent_id, status);
CREATE INDEX account_team_idx ON account (team_id, status);
CREATE INDEX account_debtor_idx ON account (debtor_id);
CREATE INDEX account_creditor_idx ON account (creditor_id);

CREATE TABLE installment (
	account_id bigint NOT NULL REFERENCES account ON DELETE CASCADE,
	seq        smallint NOT NULL,
	due_date   date NOT NULL,
	amount     bigint NOT NULL CHECK (amount > 0),
	paid       bigint NOT NULL DEFAULT 0 CHECK (paid >= 0 AND paid <= amount),
	PRIMARY KEY (account_id, seq)
);

CREATE TABLE payment (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	account_id bigint NOT NULL REFERENCES account ON DELETE CASCADE,
	amount     bigint NOT NULL CHECK (amount > 0),
	currency   char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
	paid_at    timestamptz NOT NULL,
	method     text NOT NULL DEFAULT 'transfer',
	reference  text
);
CREATE INDEX payment_account_idx ON payment (account_id, paid_at);

CREATE TABLE promise (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	account_id   bigint NOT NULL REFERENCES account ON DELETE CASCADE,
	agent_id     bigint REFERENCES agent,
	amount       bigint NOT NULL CHECK (amount > 0),
	currency     char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
	due_date     date NOT NULL,
	discount     bigint NOT NULL DEFAULT 0 CHECK (discount >= 0),
	status       text NOT NULL DEFAULT 'pending'
	             CHECK (status IN ('pending', 'kept', 'broken', 'cancelled')),
	channel      text NOT NULL DEFAULT 'call',
	note         text,
	created_at   timestamptz NOT NULL DEFAULT now(),
	resolved_at  timestamptz
);
CREATE INDEX promise_account_idx ON promise (account_id, status);
CREATE INDEX promise_agent_idx ON promise (agent_id);
CREATE INDEX promise_pending_due_idx ON promise (due_date) WHERE status = 'pending';

-- A promise paid in parts: the plan of installments.
CREATE TABLE promise_installment (
	promise_id bigint NOT NULL REFERENCES promise ON DELETE CASCADE,
	seq        smallint NOT NULL,
	due_date   date NOT NULL,
	amount     bigint NOT NULL CHECK (amount > 0),
	PRIMARY KEY (promise_id, seq)
);

CREATE TABLE template (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code       text NOT NULL,
	channel    text NOT NULL CHECK (channel IN ('sms', 'email', 'whatsapp', 'letter')),
	language   text NOT NULL CHECK (language IN ('es', 'en')),
	subject    text,
	body       text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	created_by text NOT NULL DEFAULT session_user,
	UNIQUE (code, channel, language)
);

-- The outbox. Text is rendered once, when queued: what the collector saw is sent.
CREATE TABLE message (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	account_id      bigint REFERENCES account,
	debtor_id       bigint NOT NULL REFERENCES debtor,
	contact_point_id bigint REFERENCES contact_point,
	channel         text NOT NULL CHECK (channel IN ('sms', 'email', 'whatsapp')),
	recipient       text NOT NULL,
	subject         text,
	body            text NOT NULL,
	template_id     bigint REFERENCES template,
	status          text NOT NULL DEFAULT 'queued'
	                CHECK (status IN ('queued', 'sending', 'sent', 'delivered', 'failed', 'refused')),
	attempts        smallint NOT NULL DEFAULT 0,
	next_attempt_at timestamptz NOT NULL DEFAULT now(),
	claimed_by      text,
	claimed_until   timestamptz,
	provider_id     text,
	error           text,
	idempotency_key uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
	agent_id        bigint REFERENCES agent,   -- NULL when a strategy sent it
	created_at      timestamptz NOT NULL DEFAULT now(),
	sent_at         timestamptz,
	delivered_at    timestamptz
);
CREATE INDEX message_queue_idx ON message (next_attempt_at) WHERE status IN ('queued', 'sending');
CREATE INDEX message_account_idx ON message (account_id);
CREATE INDEX message_debtor_idx ON message (debtor_id);
CREATE INDEX message_provider_idx ON message (provider_id) WHERE provider_id IS NOT NULL;

-- The append-only history. It grows by tens of millions of rows a month, so it
-- is partitioned by month on "at": recent months stay hot and small, old ones
-- are detached or dropped whole, and a timeline scan touches few partitions.
CREATE TABLE event (
	id          bigint GENERATED ALWAYS AS IDENTITY,
	at          timestamptz NOT NULL DEFAULT now(),
	account_id  bigint,     -- no FK: partitioned history outlives archived accounts
	debtor_id   bigint NOT NULL,
	agent_id    bigint,
	kind        text NOT NULL CHECK (kind IN ('call', 'sms', 'email', 'whatsapp', 'letter', 'visit',
	                'note', 'promise', 'payment', 'assignment', 'status', 'delivery', 'callback',
	                'optout', 'contact_point')),
	direction   text CHECK (direction IN ('out', 'in')),
	outcome     text,       -- call outcome, delivery status, promise status ...
	message_id  bigint,
	amount      bigint,
	body        text,
	data        jsonb,
	PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE INDEX event_account_idx ON event (account_id, at DESC);
CREATE INDEX event_debtor_idx ON event (debtor_id, at DESC);
CREATE INDEX event_agent_idx ON event (agent_id, at);
-- Nothing is ever lost for want of a partition. The monthly ones are made
-- ahead of the clock (functions/event_partitions.sql).
CREATE TABLE event_default PARTITION OF event DEFAULT;

CREATE TABLE strategy (
	id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name     text NOT NULL UNIQUE,
	segment  text NOT NULL,
	active   boolean NOT NULL DEFAULT true
);

CREATE TABLE strategy_step (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	strategy_id bigint NOT NULL REFERENCES strategy ON DELETE CASCADE,
	day_offset  integer NOT NULL,  -- days from the due date: -3 is three days before
	action      text NOT NULL CHECK (action IN ('sms', 'email', 'whatsapp', 'worklist', 'agency')),
	template_id bigint REFERENCES template,
	UNIQUE (strategy_id, day_offset, action)
);

-- Every version of the contact rules ever loaded; the newest is in force.
CREATE TABLE contact_policy (
	version    integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	loaded_at  timestamptz NOT NULL DEFAULT now(),
	loaded_by  text NOT NULL DEFAULT session_user,
	text       text NOT NULL,
	diff       text
);

-- Tamper-evident: each row's hash covers the previous row's hash.
CREATE TABLE audit (
	id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at        timestamptz NOT NULL DEFAULT now(),
	actor     text NOT NULL DEFAULT session_user,
	action    text NOT NULL,
	tbl       text NOT NULL,
	row_id    bigint,
	old       jsonb,
	new       jsonb,
	prev_hash bytea,
	hash      bytea NOT NULL
);
