"""A resent pupil form may be shown its code once more; the report remembers that it was.

Revision ID: report_code_reshown
Revises: audit_truncate_guard
"""
import sqlalchemy as sa
from alembic import op

revision = "report_code_reshown"
down_revision = "audit_truncate_guard"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("report", sa.Column("code_reshown_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("report") as batch:
        batch.drop_column("code_reshown_at")
