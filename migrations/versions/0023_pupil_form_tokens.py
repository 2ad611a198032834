"""The pupil's follow-up pages work once (spent_pupil_page), and a report can say it follows
an earlier one whose code was lost, which the DSL can link it to.

Revision ID: pupil_form_tokens
Revises: sso_passkeys
"""
import sqlalchemy as sa
from alembic import op

revision = "pupil_form_tokens"
down_revision = "sso_passkeys"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "spent_pupil_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("spent_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spent_pupil_page")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_spent_pupil_page_token_hash")),
    )
    op.create_index(op.f("ix_spent_pupil_page_spent_at"), "spent_pupil_page", ["spent_at"])
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("follows_earlier", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
        batch.add_column(sa.Column("earlier_when", sa.String(12), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("earlier_about", sa.String(300), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("follows_report_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_report_follows_report_id_report"), "report",
                                 ["follows_report_id"], ["id"])
        batch.create_index(op.f("ix_report_follows_report_id"), ["follows_report_id"])


def downgrade():
    with op.batch_alter_table("report") as batch:
        batch.drop_index(op.f("ix_report_follows_report_id"))
        batch.drop_constraint(op.f("fk_report_follows_report_id_report"), type_="foreignkey")
        batch.drop_column("follows_report_id")
        batch.drop_column("earlier_about")
        batch.drop_column("earlier_when")
        batch.drop_column("follows_earlier")
    op.drop_index(op.f("ix_spent_pupil_page_spent_at"), table_name="spent_pupil_page")
    op.drop_table("spent_pupil_page")
