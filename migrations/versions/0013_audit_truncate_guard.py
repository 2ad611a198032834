"""TRUNCATE of the audit trail is refused too, whoever runs it.

Revision ID: audit_truncate_guard
Revises: staff_sessions
"""
from alembic import op

revision = "audit_truncate_guard"
down_revision = "staff_sessions"
branch_labels = None
depends_on = None

# The row trigger of 0001 never sees a TRUNCATE, which empties the table without deleting rows.
# This statement trigger reuses its function (TG_OP names the refused operation) and fires for
# every role, the tables' owner included, and for a TRUNCATE that reaches the table by CASCADE.
# Only a role that owns the table or is a superuser can switch it off (README, "Privacy").
TRUNCATE_GUARD = """
CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();
"""


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(TRUNCATE_GUARD)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
