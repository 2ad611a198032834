"""A school's staff as stored: roles per school, and a school never left without an admin."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Membership
from schoolsafe.services.staff import admin as staff_admin
from schoolsafe.services.staff.admin import NewMember, StaffAdminError


def member(school, user):
    return staff_admin.find_member(db.session, school.id, user.public_id)


def test_roles_come_back_in_their_usual_order_and_unknown_ones_are_named():
    assert staff_admin.check_roles(["admin", "staff", "dsl"]) == ("staff", "dsl", "admin")
    with pytest.raises(StaffAdminError, match="“head” isn't one of the roles here"):
        staff_admin.check_roles(["dsl", "head"])
    with pytest.raises(StaffAdminError, match="at least one role"):
        staff_admin.check_roles([])


def test_the_last_administrator_keeps_the_role_whoever_asks(make):
    school = make.school()
    head, lead = make.user(school, "admin"), make.user(school, "dsl")
    with pytest.raises(StaffAdminError, match=f"{head.name} is the only administrator"):
        staff_admin.change_member(db.session, school.id, member(school, head), lead.id,
                                  ["dsl"], False)
    with pytest.raises(StaffAdminError, match=f"{head.name} is the only administrator"):
        staff_admin.remove_member(db.session, school.id, member(school, head), lead.id)
    assert staff_admin.change_member(db.session, school.id, member(school, lead), head.id,
                                     ["dsl", "admin"], False)
    staff_admin.remove_member(db.session, school.id, member(school, head), lead.id)
    assert member(school, head) is None and member(school, lead).roles == ("dsl", "admin")


def test_an_administrator_at_another_school_does_not_count(make):
    oak, elm = make.school(), make.school()
    head = make.user(oak, "admin")
    make.user(elm, "admin")
    assert staff_admin.removal_problem(db.session, oak.id, member(oak, head), head.id)


def test_one_permission_to_refer_for_all_of_a_members_roles_here(make):
    school = make.school()
    head = make.user(school, "admin")
    added, created = staff_admin.add_member(
        db.session, school.id, NewMember("Jo Bloggs", "jo@example.org", ("staff", "admin")),
        "fast-test")
    assert created and member(school, added).can_refer is False
    staff_admin.change_member(db.session, school.id, member(school, added), head.id,
                              ["staff", "admin"], True)
    assert db.session.scalars(select(Membership.can_refer).where(
        Membership.user_id == added.id)).all() == [True, True]
    assert member(school, added).refers
