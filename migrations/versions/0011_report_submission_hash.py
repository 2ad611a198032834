"""The same pupil form sent twice is recognised, not stored twice.

Revision ID: report_submission_hash
Revises: report_intake
"""
import sqlalchemy as sa
from alembic import op

revision = "report_submission_hash"
down_revision = "report_intake"
branch_labels = None
depends_on = None


def upgrade():
    # A unique index rather than a constraint: SQLite adds it without copying the table.
    op.add_column("report", sa.Column("submission_hash", sa.String(64), nullable=True))
    op.create_index("ix_report_submission_hash", "report", ["submission_hash"], unique=True)


def downgrade():
    op.drop_index("ix_report_submission_hash", table_name="report")
    with op.batch_alter_table("report") as batch:
        batch.drop_column("submission_hash")
