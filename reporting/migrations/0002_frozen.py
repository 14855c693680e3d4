"""What was submitted never changes, whatever code runs: the database refuses an UPDATE of a
submitted file, and of any column of a submission that says what was sent (only the review's
columns, the state and the workspace link may change). Each submission's columns listed here
are reporting.models.FROZEN_FIELDS."""

from django.db import migrations

FROZEN_COLUMNS = (
    "region_id",
    "province_id",
    "level",
    "year",
    "half",
    "source",
    "number",
    "letter_place",
    "letter_date",
    "signatory_name",
    "signatory_position",
    "signatory_nip",
    "submitted_at",
    "deadline",
    "late",
    "figures",
    "agreements",
    "missing",
    "supersedes_id",
    "correction_reason",
)
CHANGED = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in FROZEN_COLUMNS)

SQL = f"""
CREATE OR REPLACE FUNCTION reporting_submission_frozen() RETURNS trigger AS $$
BEGIN
    IF {CHANGED} THEN
        RAISE EXCEPTION 'A submitted report never changes (submission %): submit a correction.',
            OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reporting_submission_frozen BEFORE UPDATE ON reporting_submission
    FOR EACH ROW EXECUTE FUNCTION reporting_submission_frozen();

CREATE OR REPLACE FUNCTION reporting_file_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'A submitted file never changes (file %).', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reporting_file_frozen BEFORE UPDATE ON reporting_submissionfile
    FOR EACH ROW EXECUTE FUNCTION reporting_file_frozen();
"""

REVERSE = """
DROP TRIGGER IF EXISTS reporting_submission_frozen ON reporting_submission;
DROP FUNCTION IF EXISTS reporting_submission_frozen();
DROP TRIGGER IF EXISTS reporting_file_frozen ON reporting_submissionfile;
DROP FUNCTION IF EXISTS reporting_file_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
