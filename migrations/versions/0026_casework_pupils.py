"""Casework pupils: the pupils from the directory who were present at a typed entry, as
links to their directory records (one row per pupil per version of the entry).

Revision ID: casework_pupils
Revises: casework_receipts
"""
import sqlalchemy as sa
from alembic import op

revision = "casework_pupils"
down_revision = "casework_receipts"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "case_entry_pupil",
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["case_entry.id"],
                                name=op.f("fk_case_entry_pupil_entry_id_case_entry")),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupil.id"],
                                name=op.f("fk_case_entry_pupil_pupil_id_pupil")),
        sa.PrimaryKeyConstraint("entry_id", "pupil_id", name=op.f("pk_case_entry_pupil")),
    )
    op.create_index(op.f("ix_case_entry_pupil_pupil_id"), "case_entry_pupil", ["pupil_id"])


def downgrade():
    op.drop_index(op.f("ix_case_entry_pupil_pupil_id"), table_name="case_entry_pupil")
    op.drop_table("case_entry_pupil")
