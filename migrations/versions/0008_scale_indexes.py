"""Indexes for a local authority's volumes (issue 8): the queue's search within one school's
sightings, and insight's count of a school's platform reports in a period.

Revision ID: scale_indexes
Revises: 0001
"""
from alembic import op

revision = "scale_indexes"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_sighting_school_id", "sighting", ["school_id"])
    op.create_index("ix_platform_report_account_reported", "platform_report",
                    ["account_id", "reported_at"])


def downgrade():
    op.drop_index("ix_platform_report_account_reported", table_name="platform_report")
    op.drop_index("ix_sighting_school_id", table_name="sighting")
