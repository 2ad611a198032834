"""Single sign-on through a school's identity provider, passkeys, and how each member of
staff last signed in.

Revision ID: sso_passkeys
Revises: staff_allegations
"""
import sqlalchemy as sa
from alembic import op

revision = "sso_passkeys"
down_revision = "staff_allegations"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "school_sso",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("preset", sa.String(16), nullable=False),
        sa.Column("issuer", sa.String(300), nullable=False),
        sa.Column("client_id", sa.String(300), nullable=False),
        sa.Column("client_secret", sa.String(1000), nullable=False),
        sa.Column("provider", sa.JSON(), nullable=False),
        sa.Column("mfa_values", sa.JSON(), nullable=False),
        sa.Column("reconfirm_hours", sa.Integer(), nullable=False),
        sa.Column("keys_read_at", sa.DateTime(), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"],
                                name=op.f("fk_school_sso_school_id_school")),
        sa.ForeignKeyConstraint(["changed_by_id"], ["staff_user.id"],
                                name=op.f("fk_school_sso_changed_by_id_staff_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_sso")),
        sa.UniqueConstraint("school_id", name=op.f("uq_school_sso_school_id")),
    )
    op.create_table(
        "sso_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["school.id"],
                                name=op.f("fk_sso_link_school_id_school")),
        sa.ForeignKeyConstraint(["user_id"], ["staff_user.id"],
                                name=op.f("fk_sso_link_user_id_staff_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sso_link")),
        sa.UniqueConstraint("school_id", "subject", name=op.f("uq_sso_link_school_id_subject")),
        sa.UniqueConstraint("school_id", "user_id", name=op.f("uq_sso_link_school_id_user_id")),
    )
    op.create_index(op.f("ix_sso_link_school_id"), "sso_link", ["school_id"])
    op.create_index(op.f("ix_sso_link_user_id"), "sso_link", ["user_id"])
    op.create_table(
        "passkey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("credential_id", sa.LargeBinary(1024), nullable=False),
        sa.Column("public_key", sa.LargeBinary(2048), nullable=False),
        sa.Column("sign_count", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["staff_user.id"],
                                name=op.f("fk_passkey_user_id_staff_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passkey")),
        sa.UniqueConstraint("public_id", name=op.f("uq_passkey_public_id")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_passkey_credential_id")),
    )
    op.create_index(op.f("ix_passkey_user_id"), "passkey", ["user_id"])
    op.create_table(
        "passkey_challenge",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("challenge", sa.LargeBinary(64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passkey_challenge")),
        sa.UniqueConstraint("challenge", name=op.f("uq_passkey_challenge_challenge")),
    )
    with op.batch_alter_table("staff_user") as batch:
        batch.add_column(sa.Column("last_sign_in_method", sa.String(20), nullable=True))
    with op.batch_alter_table("staff_session") as batch:
        batch.add_column(sa.Column("sign_in_method", sa.String(20), nullable=True))
        batch.add_column(sa.Column("sso_school_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("sso_confirmed_at", sa.DateTime(), nullable=True))
        batch.create_foreign_key(op.f("fk_staff_session_sso_school_id_school"), "school",
                                 ["sso_school_id"], ["id"])


def downgrade():
    with op.batch_alter_table("staff_session") as batch:
        batch.drop_constraint(op.f("fk_staff_session_sso_school_id_school"), type_="foreignkey")
        batch.drop_column("sso_confirmed_at")
        batch.drop_column("sso_school_id")
        batch.drop_column("sign_in_method")
    op.drop_table("passkey_challenge")
    with op.batch_alter_table("staff_user") as batch:
        batch.drop_column("last_sign_in_method")
    op.drop_index(op.f("ix_passkey_user_id"), table_name="passkey")
    op.drop_table("passkey")
    op.drop_index(op.f("ix_sso_link_user_id"), table_name="sso_link")
    op.drop_index(op.f("ix_sso_link_school_id"), table_name="sso_link")
    op.drop_table("sso_link")
    op.drop_table("school_sso")
