-- Fencing: every acquisition of a workflow's lease takes the next epoch, and an append commits only if the epoch
-- its writer acquired is still the workflow's, checked under the same row lock as the sequence.
ALTER TABLE workflows ADD COLUMN lease_epoch bigint NOT NULL DEFAULT 0 CHECK (lease_epoch >= 0);

-- Finished workflows hold no lease (earlier versions left theirs set, expired).
UPDATE workflows SET owner = NULL, lease_expires_at = NULL WHERE terminal AND owner IS NOT NULL;
