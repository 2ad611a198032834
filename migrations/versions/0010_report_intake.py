"""Pupil reports are taken in by a job after they are saved (issue 8).

Revision ID: report_intake
Revises: queue_order_index
"""
import sqlalchemy as sa
from alembic import op

revision = "report_intake"
down_revision = "queue_order_index"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("report", sa.Column("intake_pending", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.add_column("report", sa.Column("places_waiting", sa.JSON(), nullable=True))
    op.create_index("ix_report_intake_pending", "report", ["received_at"],
                    postgresql_where=sa.text("intake_pending"),
                    sqlite_where=sa.text("intake_pending = 1"))


def downgrade():
    op.drop_index("ix_report_intake_pending", table_name="report")
    with op.batch_alter_table("report") as batch:
        batch.drop_column("places_waiting")
        batch.drop_column("intake_pending")
