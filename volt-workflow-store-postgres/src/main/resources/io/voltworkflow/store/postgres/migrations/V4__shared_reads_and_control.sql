-- Lists are read from the store, so any instance lists every workflow: filtered by state and labels in SQL,
-- newest first. A workflow's labels are set by the append that creates it.
ALTER TABLE workflows ADD COLUMN labels jsonb NOT NULL DEFAULT '{}';

-- Workflows created before: their labels from the creation event, where it is still stored and readable (an
-- undecodable one keeps '{}'; verify() names it).
DO $$
DECLARE
  created record;
  found jsonb;
BEGIN
  FOR created IN SELECT workflow_id, payload FROM events WHERE type = 'workflow_created' LOOP
    BEGIN
      found := convert_from(created.payload, 'UTF8')::jsonb #> '{data,definition,options,labels}';
      IF jsonb_typeof(found) = 'object' THEN
        UPDATE workflows SET labels = found WHERE workflow_id = created.workflow_id;
      END IF;
    EXCEPTION WHEN others THEN
      NULL;
    END;
  END LOOP;
END $$;

-- list(): stored workflows, newest first; labels by containment.
CREATE INDEX workflows_by_age_desc ON workflows (created_at DESC, workflow_id) WHERE last_sequence > 0;
CREATE INDEX workflows_labels ON workflows USING gin (labels);

-- Control requests relayed to the instance holding a workflow's lease: filed by the instance a request reached,
-- taken once by the holder, answered with its outcome, or withdrawn by the instance that filed it.
CREATE TABLE control_requests (
  id           bigserial PRIMARY KEY,
  workflow_id  text COLLATE "C" NOT NULL,
  action       text        NOT NULL CHECK (action IN ('start', 'pause', 'resume', 'cancel')),
  reason       text,
  requested_by text        NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  taken_by     text,
  answered_at  timestamptz,
  applied      boolean,
  from_state   text,
  to_state     text,
  message      text
);
-- take(): the open requests; answered ones stay out of the index.
CREATE INDEX control_requests_open ON control_requests (workflow_id, id) WHERE answered_at IS NULL;
