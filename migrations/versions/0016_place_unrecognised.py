"""Places a pupil typed that name no account are kept on the report, not in the register.

Revision ID: place_unrecognised
Revises: outbox_message_id
"""
import sqlalchemy as sa
from alembic import op

revision = "place_unrecognised"
down_revision = "outbox_message_id"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("report", sa.Column("places_unrecognised", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("report") as batch:
        batch.drop_column("places_unrecognised")
