"""Casework: typed chronology entries with versions, parent and carer contact per child,
tasks with reminders, safety and support plans per child, and a child's file handed on to
their next school (with the day the pupil left marked on the case).

Revision ID: casework
Revises: pupil_form_tokens
"""
import sqlalchemy as sa
from alembic import op

revision = "casework"
down_revision = "pupil_form_tokens"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"],
                                   name=op.f(f"fk_{table}_{column}_{target}"))


def upgrade():
    op.create_table(
        "case_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("happened_at", sa.DateTime(), nullable=False),
        sa.Column("present_staff", sa.JSON(), nullable=False),
        sa.Column("present_others", sa.Text(), nullable=False),
        sa.Column("said", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("first_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("replaced_at", sa.DateTime(), nullable=True),
        _fk("case_entry", "school_id", "school"),
        _fk("case_entry", "case_id", "case_file"),
        _fk("case_entry", "recorded_by_id", "staff_user"),
        _fk("case_entry", "first_id", "case_entry"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_entry")),
        sa.UniqueConstraint("public_id", name=op.f("uq_case_entry_public_id")),
    )
    op.create_index("ix_case_entry_case_happened", "case_entry", ["case_id", "happened_at"])
    op.create_index(op.f("ix_case_entry_school_id"), "case_entry", ["school_id"])
    op.create_index(op.f("ix_case_entry_first_id"), "case_entry", ["first_id"])

    op.create_table(
        "parent_contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("told", sa.Boolean(), nullable=False),
        sa.Column("told_by", sa.String(200), nullable=False),
        sa.Column("told_on", sa.Date(), nullable=True),
        sa.Column("why_not", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        _fk("parent_contact", "case_id", "case_file"),
        _fk("parent_contact", "person_id", "case_person"),
        _fk("parent_contact", "recorded_by_id", "staff_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parent_contact")),
    )
    op.create_index(op.f("ix_parent_contact_case_id"), "parent_contact", ["case_id"])
    op.create_index(op.f("ix_parent_contact_person_id"), "parent_contact", ["person_id"])

    op.create_table(
        "safety_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("risks", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("responsible", sa.Text(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("written_by_id", sa.Integer(), nullable=True),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        _fk("safety_plan", "case_id", "case_file"),
        _fk("safety_plan", "person_id", "case_person"),
        _fk("safety_plan", "written_by_id", "staff_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_plan")),
    )
    op.create_index(op.f("ix_safety_plan_case_id"), "safety_plan", ["case_id"])
    op.create_index(op.f("ix_safety_plan_person_id"), "safety_plan", ["person_id"])

    op.add_column("case_person", sa.Column("left_on", sa.Date(), nullable=True))
    op.create_table(
        "file_transfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("to_school_id", sa.Integer(), nullable=True),
        sa.Column("to_address", sa.String(254), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("export", sa.JSON(), nullable=False),
        sa.Column("code_hash", sa.String(128), nullable=False),
        sa.Column("sent_by_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=True),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("accepted_at", sa.DateTime(), nullable=True),
        sa.Column("accepted_by", sa.String(200), nullable=False),
        _fk("file_transfer", "school_id", "school"),
        _fk("file_transfer", "case_id", "case_file"),
        _fk("file_transfer", "person_id", "case_person"),
        _fk("file_transfer", "to_school_id", "school"),
        _fk("file_transfer", "sent_by_id", "staff_user"),
        _fk("file_transfer", "opened_by_id", "staff_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_file_transfer")),
        sa.UniqueConstraint("public_id", name=op.f("uq_file_transfer_public_id")),
    )
    op.create_index(op.f("ix_file_transfer_school_id"), "file_transfer", ["school_id"])
    op.create_index(op.f("ix_file_transfer_case_id"), "file_transfer", ["case_id"])
    op.create_index(op.f("ix_file_transfer_to_school_id"), "file_transfer", ["to_school_id"])

    op.create_table(
        "case_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(32), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=True),
        sa.Column("checklist_item_id", sa.Integer(), nullable=True),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("transfer_id", sa.Integer(), nullable=True),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_at", sa.DateTime(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("done_by_id", sa.Integer(), nullable=True),
        sa.Column("reminded_due", sa.Boolean(), nullable=False),
        sa.Column("reminded_overdue", sa.Boolean(), nullable=False),
        _fk("case_task", "school_id", "school"),
        _fk("case_task", "case_id", "case_file"),
        _fk("case_task", "entry_id", "case_entry"),
        _fk("case_task", "checklist_item_id", "checklist_item"),
        _fk("case_task", "plan_id", "safety_plan"),
        _fk("case_task", "transfer_id", "file_transfer"),
        _fk("case_task", "assignee_id", "staff_user"),
        _fk("case_task", "set_by_id", "staff_user"),
        _fk("case_task", "done_by_id", "staff_user"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_task")),
        sa.UniqueConstraint("public_id", name=op.f("uq_case_task_public_id")),
    )
    op.create_index("ix_case_task_assignee_open", "case_task",
                    ["assignee_id", "done_at", "due_on"])
    op.create_index(op.f("ix_case_task_school_id"), "case_task", ["school_id"])
    op.create_index(op.f("ix_case_task_case_id"), "case_task", ["case_id"])


def downgrade():
    op.drop_table("case_task")
    op.drop_table("file_transfer")
    op.drop_column("case_person", "left_on")
    op.drop_table("safety_plan")
    op.drop_table("parent_contact")
    op.drop_table("case_entry")
