"""A school's own addresses for referral recipients (its police, its MASH), set by its
administrator in place of the jurisdiction pack's defaults.

Revision ID: school_recipient_addresses
Revises: case_urgency_override
"""
import sqlalchemy as sa
from alembic import op

revision = "school_recipient_addresses"
down_revision = "case_urgency_override"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "recipient_address",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("recipient_kind", sa.String(30), nullable=False),
        sa.Column("addresses", sa.String(1000), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"],
                                name=op.f("fk_recipient_address_school_id_school")),
        sa.ForeignKeyConstraint(["changed_by_id"], ["staff_user.id"],
                                name=op.f("fk_recipient_address_changed_by_id_staff_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recipient_address")),
        sa.UniqueConstraint("school_id", "recipient_kind",
                            name=op.f("uq_recipient_address_school_id_recipient_kind")),
    )
    op.create_index(op.f("ix_recipient_address_school_id"), "recipient_address", ["school_id"])


def downgrade():
    op.drop_index(op.f("ix_recipient_address_school_id"), table_name="recipient_address")
    op.drop_table("recipient_address")
