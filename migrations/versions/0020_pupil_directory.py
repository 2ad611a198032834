"""The pupil directory: pupils per school, their name words for search, the remembered
import mapping; case people linked to pupils; names a referral note left out or kept.

Revision ID: pupil_directory
Revises: school_recipient_addresses
"""
import sqlalchemy as sa
from alembic import op

revision = "pupil_directory"
down_revision = "school_recipient_addresses"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pupil",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("upn", sa.String(40), nullable=False),
        sa.Column("legal_first", sa.String(80), nullable=False),
        sa.Column("legal_last", sa.String(80), nullable=False),
        sa.Column("preferred_first", sa.String(80), nullable=False),
        sa.Column("other_names", sa.JSON(), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("year_group", sa.String(40), nullable=False),
        sa.Column("reg_group", sa.String(40), nullable=False),
        sa.Column("family_id", sa.String(40), nullable=False),
        sa.Column("on_roll", sa.Boolean(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"],
                                name=op.f("fk_pupil_school_id_school")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pupil")),
        sa.UniqueConstraint("public_id", name=op.f("uq_pupil_public_id")),
        sa.UniqueConstraint("school_id", "upn", name=op.f("uq_pupil_school_id_upn")),
    )
    op.create_index(op.f("ix_pupil_school_id"), "pupil", ["school_id"])
    op.create_index("ix_pupil_school_family", "pupil", ["school_id", "family_id"])
    op.create_table(
        "pupil_name",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(80), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"],
                                name=op.f("fk_pupil_name_school_id_school")),
        sa.ForeignKeyConstraint(["pupil_id"], ["pupil.id"],
                                name=op.f("fk_pupil_name_pupil_id_pupil")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pupil_name")),
    )
    op.create_index(op.f("ix_pupil_name_pupil_id"), "pupil_name", ["pupil_id"])
    op.create_index("ix_pupil_name_school_token", "pupil_name", ["school_id", "token"])
    op.create_table(
        "pupil_import_mapping",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("pending_text", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"],
                                name=op.f("fk_pupil_import_mapping_school_id_school")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pupil_import_mapping")),
        sa.UniqueConstraint("school_id", name=op.f("uq_pupil_import_mapping_school_id")),
    )
    with op.batch_alter_table("case_person") as batch:
        batch.add_column(sa.Column("pupil_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_case_person_pupil_id"), ["pupil_id"])
        batch.create_foreign_key(batch.f("fk_case_person_pupil_id_pupil"), "pupil",
                                 ["pupil_id"], ["id"])
    with op.batch_alter_table("referral") as batch:
        batch.add_column(sa.Column("names_removed", sa.JSON(), nullable=False,
                                   server_default="[]"))
        batch.add_column(sa.Column("names_kept", sa.JSON(), nullable=False,
                                   server_default="[]"))


def downgrade():
    with op.batch_alter_table("referral") as batch:
        batch.drop_column("names_kept")
        batch.drop_column("names_removed")
    with op.batch_alter_table("case_person") as batch:
        batch.drop_constraint(batch.f("fk_case_person_pupil_id_pupil"), type_="foreignkey")
        batch.drop_index(batch.f("ix_case_person_pupil_id"))
        batch.drop_column("pupil_id")
    op.drop_table("pupil_import_mapping")
    op.drop_index("ix_pupil_name_school_token", table_name="pupil_name")
    op.drop_index(op.f("ix_pupil_name_pupil_id"), table_name="pupil_name")
    op.drop_table("pupil_name")
    op.drop_index("ix_pupil_school_family", table_name="pupil")
    op.drop_index(op.f("ix_pupil_school_id"), table_name="pupil")
    op.drop_table("pupil")
