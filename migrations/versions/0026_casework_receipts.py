"""Casework receipts: the receiving school's own copy of a child's file it accepts, an
overdue task reminded each school morning (the day of the last one, not a yes/no), and the
dates a school is closed on a weekday.

Revision ID: casework_receipts
Revises: casework
"""
import sqlalchemy as sa
from alembic import op

revision = "casework_receipts"
down_revision = "casework"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade():
    op.create_table(
        "received_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("from_school", sa.String(200), nullable=False),
        sa.Column("transfer_id", sa.Integer(), nullable=True),
        sa.Column("export", sa.JSON(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_at", sa.DateTime(), nullable=False),
        sa.Column("accepted_by", sa.String(200), nullable=False),
        sa.Column("accepted_by_id", sa.Integer(), nullable=True),
        _fk("received_file", "school_id", "school"),
        _fk("received_file", "transfer_id", "file_transfer"),
        _fk("received_file", "accepted_by_id", "staff_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_file")),
        sa.UniqueConstraint("public_id", name=op.f("uq_received_file_public_id")),
    )
    op.create_index(op.f("ix_received_file_school_id"), "received_file", ["school_id"])
    op.create_index(op.f("ix_received_file_transfer_id"), "received_file", ["transfer_id"])
    # Tasks already reminded as overdue are reminded again on the next school morning.
    with op.batch_alter_table("case_task") as batch_op:
        batch_op.add_column(sa.Column("reminded_overdue_on", sa.Date(), nullable=True))
        batch_op.drop_column("reminded_overdue")
    op.add_column("school", sa.Column("closed_days", sa.JSON(), nullable=False,
                                      server_default="[]"))


def downgrade():
    op.drop_column("school", "closed_days")
    with op.batch_alter_table("case_task") as batch_op:
        batch_op.add_column(sa.Column("reminded_overdue", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.drop_column("reminded_overdue_on")
    op.drop_table("received_file")
