"""An email's Message-ID is stored before it is sent, so a resend carries the same one; and an
email taken over from a worker that stopped while sending it is marked as maybe sent twice.

Revision ID: outbox_message_id
Revises: report_code_reshown
"""
import sqlalchemy as sa
from alembic import op

revision = "outbox_message_id"
down_revision = "report_code_reshown"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("outbox_message") as batch:
        batch.add_column(sa.Column("message_id", sa.String(255), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("maybe_sent_twice", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("outbox_message") as batch:
        batch.drop_column("maybe_sent_twice")
        batch.drop_column("message_id")
