-- The event log, the latest snapshot per workflow, and one summary row per workflow that carries its lease.
-- Workflow ids are ASCII; the "C" collation keeps their order byte order, which replay's merge relies on.

CREATE TABLE workflows (
  workflow_id      text COLLATE "C" PRIMARY KEY,
  state            text        NOT NULL,
  terminal         boolean     NOT NULL,
  last_sequence    bigint      NOT NULL CHECK (last_sequence >= 0),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  owner            text,
  lease_expires_at timestamptz,
  CHECK ((owner IS NULL) = (lease_expires_at IS NULL))
);

-- orphaned(): live workflows, oldest first; finished ones (eventually most rows) stay out of the index.
CREATE INDEX workflows_live_by_age ON workflows (created_at, workflow_id) WHERE NOT terminal;
-- renewAll(): the leases one instance holds.
CREATE INDEX workflows_by_owner ON workflows (owner) WHERE owner IS NOT NULL;

CREATE TABLE events (
  workflow_id text COLLATE "C" NOT NULL,
  sequence    bigint      NOT NULL CHECK (sequence >= 1),
  ts          timestamptz NOT NULL,
  type        text        NOT NULL,
  payload     bytea       NOT NULL,
  PRIMARY KEY (workflow_id, sequence)
);

CREATE TABLE snapshots (
  workflow_id text COLLATE "C" PRIMARY KEY,
  sequence    bigint      NOT NULL CHECK (sequence >= 0),
  taken_at    timestamptz NOT NULL,
  state       bytea       NOT NULL
);
