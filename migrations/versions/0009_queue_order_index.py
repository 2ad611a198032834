"""The queue over all statuses in page order (issue 8).

Revision ID: queue_order_index
Revises: scale_indexes
"""
from alembic import op

revision = "queue_order_index"
down_revision = "scale_indexes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_report_school_order", "report",
                    ["school_id", "urgency_rank", "received_at", "id"])


def downgrade():
    op.drop_index("ix_report_school_order", table_name="report")
