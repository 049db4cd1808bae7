-- A job's JSON may carry up to 100 template variables of 1,024 characters (campaign-service's limits),
-- more than TEXT holds (64 KB): a retry that stores the job, or an outcome that quotes a long answer,
-- would fail the same way on every try and stall the recorder. The sender refuses jobs above
-- 256 K characters at intake (an outcome says why); these columns hold anything below.
ALTER TABLE send_ledger
    MODIFY outcome_json MEDIUMTEXT NULL,
    MODIFY retry_job    MEDIUMTEXT NULL;
