"""Staff sessions are held on the server, so signing out ends them; a two-factor key being
set up belongs to one session, not to the account.

Revision ID: staff_sessions
Revises: report_submission_hash
"""
import sqlalchemy as sa
from alembic import op

revision = "staff_sessions"
down_revision = "report_submission_hash"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "staff_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.Column("enrolment_secret", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["staff_user.id"],
                                name=op.f("fk_staff_session_user_id_staff_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_session_token_hash")),
    )
    op.create_index(op.f("ix_staff_session_user_id"), "staff_session", ["user_id"])
    # A key shown for setting up but never confirmed may have been read by someone else:
    # forget it, so the owner is offered a new one, in their own session, next time.
    op.execute("UPDATE staff_user SET totp_secret = NULL WHERE totp_confirmed_at IS NULL")


def downgrade():
    op.drop_index(op.f("ix_staff_session_user_id"), table_name="staff_session")
    op.drop_table("staff_session")
