"""Staff forms are saved once per submission, and a form posted after its session ended is
kept (briefly, for its own user) until they sign in again.

Revision ID: form_submissions
Revises: place_unrecognised
"""
import sqlalchemy as sa
from alembic import op

revision = "form_submissions"
down_revision = "place_unrecognised"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "form_submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("result_path", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["staff_user.id"],
                                name=op.f("fk_form_submission_user_id_staff_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_submission")),
        sa.UniqueConstraint("user_id", "token", name=op.f("uq_form_submission_user_id_token")),
    )
    op.create_index(op.f("ix_form_submission_created_at"), "form_submission", ["created_at"])
    op.create_table(
        "pending_form",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(500), nullable=False),
        sa.Column("method", sa.String(8), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["staff_user.id"],
                                name=op.f("fk_pending_form_user_id_staff_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_form")),
        sa.UniqueConstraint("key", name=op.f("uq_pending_form_key")),
    )
    op.create_index(op.f("ix_pending_form_user_id"), "pending_form", ["user_id"])
    op.create_index(op.f("ix_pending_form_expires_at"), "pending_form", ["expires_at"])


def downgrade():
    op.drop_index(op.f("ix_pending_form_expires_at"), table_name="pending_form")
    op.drop_index(op.f("ix_pending_form_user_id"), table_name="pending_form")
    op.drop_table("pending_form")
    op.drop_index(op.f("ix_form_submission_created_at"), table_name="form_submission")
    op.drop_table("form_submission")
