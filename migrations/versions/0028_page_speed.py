"""Page speed: partial indexes on the few reports and cases about a member of staff, and on
the people on cases who have left the school, so the staff pages' visibility checks, the
"N reports you can't open" line and the queue's "files to hand on" list read a handful of
index entries instead of a school's ten years of rows.

Revision ID: page_speed
Revises: languages
"""
import sqlalchemy as sa
from alembic import op

revision = "page_speed"
down_revision = "languages"
branch_labels = None
depends_on = None

RESTRICTED = sa.text("restricted_to <> ''")
LEFT = sa.text("left_on IS NOT NULL")


def upgrade():
    op.create_index("ix_report_restricted", "report", ["school_id"],
                    postgresql_where=RESTRICTED, sqlite_where=RESTRICTED)
    op.create_index("ix_case_restricted", "case_file", ["school_id"],
                    postgresql_where=RESTRICTED, sqlite_where=RESTRICTED)
    op.create_index("ix_case_person_left", "case_person", ["case_id"],
                    postgresql_where=LEFT, sqlite_where=LEFT)


def downgrade():
    op.drop_index("ix_case_person_left", table_name="case_person")
    op.drop_index("ix_case_restricted", table_name="case_file")
    op.drop_index("ix_report_restricted", table_name="report")
