"""Casework receipts: the receiving school's own copy of a child's file it accepts, an
overdue task reminded each school morning (the day of the last one, not a yes/no), and the
dates a school is closed on a weekday.

Revision ID: casework_receipts
Revises: casework
"""
import secrets

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
    _keep_files_already_accepted()
    # Tasks already reminded as overdue are reminded again on the next school morning.
    with op.batch_alter_table("case_task") as batch_op:
        batch_op.add_column(sa.Column("reminded_overdue_on", sa.Date(), nullable=True))
        batch_op.drop_column("reminded_overdue")
    op.add_column("school", sa.Column("closed_days", sa.JSON(), nullable=False,
                                      server_default="[]"))


def _public_id() -> str:
    # As schoolsafe.models.base.new_public_id (a migration never imports the app).
    while (public_id := secrets.token_urlsafe(12)).startswith("-"):
        pass
    return public_id


def _keep_files_already_accepted():
    """Files accepted on this schoolsafe before this revision get the copy the receiving
    school would have kept had it accepted them now."""
    transfer = sa.table("file_transfer", sa.column("id"), sa.column("to_school_id"),
                        sa.column("export", sa.JSON()), sa.column("sent_at"),
                        sa.column("accepted_at"), sa.column("accepted_by"))
    kept = sa.table("received_file", sa.column("public_id"), sa.column("school_id"),
                    sa.column("from_school"), sa.column("transfer_id"),
                    sa.column("export", sa.JSON()), sa.column("sent_at"),
                    sa.column("accepted_at"), sa.column("accepted_by"),
                    sa.column("accepted_by_id"))
    rows = op.get_bind().execute(sa.select(transfer).where(
        transfer.c.to_school_id.is_not(None), transfer.c.accepted_at.is_not(None))).all()
    if rows:
        op.bulk_insert(kept, [
            {"public_id": _public_id(), "school_id": row.to_school_id,
             "from_school": (row.export or {}).get("from_school", {}).get("name", ""),
             "transfer_id": row.id, "export": row.export, "sent_at": row.sent_at,
             "accepted_at": row.accepted_at, "accepted_by": row.accepted_by,
             "accepted_by_id": None} for row in rows])


def downgrade():
    op.drop_column("school", "closed_days")
    with op.batch_alter_table("case_task") as batch_op:
        batch_op.add_column(sa.Column("reminded_overdue", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.drop_column("reminded_overdue_on")
    op.drop_table("received_file")
