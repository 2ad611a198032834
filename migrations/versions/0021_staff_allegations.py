"""Reports and cases about a member of staff: restricted to the allegations contacts, with
the person named (a member of staff chosen by whoever logged it, or the pupil's own words),
and the staff a contact adds to such a case by name.

Revision ID: staff_allegations
Revises: pupil_directory
"""
import sqlalchemy as sa
from alembic import op

revision = "staff_allegations"
down_revision = "pupil_directory"
branch_labels = None
depends_on = None

TABLES = (("report", "report"), ("case_file", "case_file"))


def upgrade():
    for table, prefix in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("restricted_to", sa.String(length=16), nullable=False,
                                       server_default=""))
            batch.add_column(sa.Column("accused_staff_id", sa.Integer(), nullable=True))
            batch.add_column(sa.Column("accused_who", sa.String(length=120), nullable=False,
                                       server_default=""))
            batch.create_foreign_key(op.f(f"fk_{prefix}_accused_staff_id_staff_user"),
                                     "staff_user", ["accused_staff_id"], ["id"])
    op.create_table(
        "case_reader",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["case_file.id"],
                                name=op.f("fk_case_reader_case_id_case_file")),
        sa.ForeignKeyConstraint(["user_id"], ["staff_user.id"],
                                name=op.f("fk_case_reader_user_id_staff_user")),
        sa.ForeignKeyConstraint(["added_by_id"], ["staff_user.id"],
                                name=op.f("fk_case_reader_added_by_id_staff_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_reader")),
        sa.UniqueConstraint("case_id", "user_id", name=op.f("uq_case_reader_case_id_user_id")),
    )
    op.create_index(op.f("ix_case_reader_case_id"), "case_reader", ["case_id"])
    op.create_index(op.f("ix_case_reader_user_id"), "case_reader", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_case_reader_user_id"), table_name="case_reader")
    op.drop_index(op.f("ix_case_reader_case_id"), table_name="case_reader")
    op.drop_table("case_reader")
    for table, prefix in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"fk_{prefix}_accused_staff_id_staff_user"),
                                  type_="foreignkey")
            batch.drop_column("accused_who")
            batch.drop_column("accused_staff_id")
            batch.drop_column("restricted_to")
