"""Languages: a school's default language and the languages its pupils may switch to, and the
language a member of staff chose for their own pages.

Revision ID: languages
Revises: casework_pupils
"""
import sqlalchemy as sa
from alembic import op

revision = "languages"
down_revision = "casework_pupils"
branch_labels = None
depends_on = None


def upgrade():
    # Existing schools keep showing English, as they did.
    with op.batch_alter_table("school") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=False,
                                   server_default="en"))
        batch.add_column(sa.Column("languages", sa.JSON(), nullable=False,
                                   server_default='["en"]'))
    with op.batch_alter_table("staff_user") as batch:
        batch.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table("staff_user") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("school") as batch:
        batch.drop_column("languages")
        batch.drop_column("language")
