-- The notification outbox (webhooks), beside the events it is derived from: one row per delivery, keyed by its
-- stable delivery id; per workflow, the last event turned into deliveries; when each subscription was first seen;
-- subscriptions made at run time.

CREATE TABLE outbox_deliveries (
  delivery_id     text PRIMARY KEY,
  subscription_id text        NOT NULL,
  workflow_id     text COLLATE "C" NOT NULL,
  sequence        bigint      NOT NULL CHECK (sequence >= 1),
  event           text        NOT NULL,
  payload         text        NOT NULL,
  created_at      timestamptz NOT NULL,
  state           text        NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
  attempts        integer     NOT NULL CHECK (attempts >= 0),
  next_attempt_at timestamptz NOT NULL,
  last_attempt_at timestamptz,
  last_status     integer     NOT NULL DEFAULT 0,
  last_error      text
);

-- due(): pending deliveries by due time; delivered and dead ones (eventually most rows) stay out of the index.
CREATE INDEX outbox_deliveries_due ON outbox_deliveries (next_attempt_at, delivery_id) WHERE state = 'pending';
CREATE INDEX outbox_deliveries_by_subscription ON outbox_deliveries (subscription_id, created_at DESC);

CREATE TABLE outbox_cursors (
  workflow_id text COLLATE "C" PRIMARY KEY,
  sequence    bigint NOT NULL CHECK (sequence >= 0)
);

CREATE TABLE outbox_registrations (
  subscription_id text PRIMARY KEY,
  registered_at   timestamptz NOT NULL
);

CREATE TABLE outbox_subscriptions (
  subscription_id text PRIMARY KEY,
  document        text NOT NULL
);
