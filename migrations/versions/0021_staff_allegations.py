"""Reports and cases about a member of staff: restricted to the allegations contacts, with
the person named (a member of staff chosen by whoever logged it, or the pupil's own words).

Revision ID: staff_allegations
Revises: school_recipient_addresses
"""
import sqlalchemy as sa
from alembic import op

revision = "staff_allegations"
down_revision = "school_recipient_addresses"
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


def downgrade():
    for table, prefix in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(op.f(f"fk_{prefix}_accused_staff_id_staff_user"),
                                  type_="foreignkey")
            batch.drop_column("accused_who")
            batch.drop_column("accused_staff_id")
            batch.drop_column("restricted_to")
