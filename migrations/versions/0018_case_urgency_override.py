"""A DSL may set a case's urgency with a reason; otherwise it follows its most urgent report.

Revision ID: case_urgency_override
Revises: form_submissions
"""
import sqlalchemy as sa
from alembic import op

revision = "case_urgency_override"
down_revision = "form_submissions"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("case_file") as batch:
        batch.add_column(sa.Column("urgency_override", sa.String(length=16), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("urgency_override_reason", sa.Text(), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("urgency_override_from", sa.String(length=16),
                                   nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("case_file") as batch:
        batch.drop_column("urgency_override_from")
        batch.drop_column("urgency_override_reason")
        batch.drop_column("urgency_override")
