"""Reading the register: filters, sorting, pages, counts per report and case, and what other
schools of a trust may see (numbers and a contact, never their pupils)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import LookalikeFlag, OnlineAccount, Trust, TrustLead
from schoolsafe.services.register import linking as register
from schoolsafe.services.register import lookalikes as register_lookalikes
from schoolsafe.services.register import queries as register_queries
from schoolsafe.services.register import trust as register_trust
from schoolsafe.services.register.linking import Place
from schoolsafe.services.register.queries import PAGE_SIZE, RegisterFilter
from tests.unit.test_register_linking import SARA_OTHER, SARA_PAGE, case_for, entry, named


def keys(page) -> list[str]:
    return [e.canonical_key for e in page.entries]


def trust_of(make, *names, contact="safeguarding@trust.example"):
    trust = Trust(name="Brum Learning Trust", contact_email=contact)
    db.session.add(trust)
    db.session.flush()
    schools = [make.school(name=name, trust_id=trust.id) for name in names]
    return trust, schools


def test_filters_by_platform_kind_status_and_school(app, make):
    oak, elm = make.school(), make.school()
    named(make, oak, ("instagram", "@brum_beef_100"), choices=("bait_out_page",))
    named(make, oak, ("tiktok", "@owen_bums_mr_crane"), choices=("fake_profile",))
    named(make, elm, ("instagram", "@slags_of_birmingham_xx"))
    entry(SARA_PAGE).status = "removed"
    both = [oak.id, elm.id]

    def listed(**wanted):
        return keys(register_queries.list_entries(db.session, both, RegisterFilter(**wanted)))

    assert sorted(listed()) == sorted([SARA_OTHER, SARA_PAGE, "tiktok:owen_bums_mr_crane"])
    assert sorted(listed(platform="instagram")) == sorted([SARA_OTHER, SARA_PAGE])
    assert listed(kind="fake_profile") == ["tiktok:owen_bums_mr_crane"]
    assert listed(status="removed") == [SARA_PAGE]
    assert listed(school_id=elm.id) == [SARA_PAGE]
    assert keys(register_queries.list_entries(db.session, [oak.id], RegisterFilter())) \
        == ["tiktok:owen_bums_mr_crane", SARA_OTHER]  # newest first, and only oak's


def test_filter_values_from_the_address_bar_are_checked(app, make):
    oak, elm = make.school(), make.school()
    wanted = RegisterFilter.from_args({"platform": "myspace", "kind": "bait_out_page",
                                       "status": "gone", "school": str(elm.id), "sort": "x",
                                       "page": "-3"}, [oak.id])
    assert wanted == RegisterFilter(kind="bait_out_page")


def test_sorts_by_reports_or_last_named_and_pages(app, make):
    school = make.school()
    places = [Place("instagram", f"@page_number_{n:03d}") for n in range(PAGE_SIZE + 3)]
    register.link_places(db.session, school.id, places)
    db.session.commit()
    for _ in range(3):
        named(make, school, ("instagram", "@page_number_007"))
    late = entry("instagram:page_number_011")
    late.last_seen += timedelta(days=1)
    first = register_queries.list_entries(db.session, [school.id], RegisterFilter(sort="reports"))
    assert keys(first)[0] == "instagram:page_number_007" and first.has_next
    assert len(first.entries) == PAGE_SIZE
    second = register_queries.list_entries(db.session, [school.id],
                                           RegisterFilter(sort="reports", page=2))
    assert len(second.entries) == 3 and not second.has_next
    assert not set(keys(first)) & set(keys(second))
    recent = register_queries.list_entries(db.session, [school.id], RegisterFilter())
    assert keys(recent)[0] == "instagram:page_number_011"


def test_reach_counts_reports_and_cases_including_confirmed_aliases(app, make):
    school = make.school()
    dsl = make.user(school, "dsl")
    one = named(make, school, ("instagram", "@slags_of_birmingham_xx"))
    two = named(make, school, ("instagram", "@slags_of_birmingham_xx"))
    three = named(make, school, ("instagram", "@slags_of_birmingham_xx2"))
    case = case_for(school, one, two)
    reach = register_queries.reach(db.session, entry(SARA_PAGE))
    assert (reach.report_ids, reach.case_ids) == ({one.id, two.id}, {case.id})
    assert (reach.other_reports(one.id), reach.other_cases(case.id)) == (1, 0)

    register_lookalikes.confirm(db.session, db.session.scalar(select(LookalikeFlag)), dsl.id)
    reach = register_queries.reach(db.session, entry(SARA_PAGE))
    assert reach.report_ids == {one.id, two.id, three.id}


def test_other_schools_of_the_trust_show_as_counts_and_a_contact(app, make):
    _trust, (oak, elm, ash) = trust_of(make, "Oak Academy", "Elm School", "Ash School")
    elm.contact_email = "dsl@elm.example"
    outsider = make.school(name="Far Away School")
    for school in (oak, elm, elm, ash, outsider):
        named(make, school, ("instagram", "@brum_beef_100"))
    case_for(elm, named(make, elm, ("", "instagram.com/brum_beef_100")))
    found = register_queries.elsewhere(db.session, entry(SARA_OTHER, oak))
    assert found == [
        register_queries.Elsewhere("Ash School", "safeguarding@trust.example", 1, 0),
        register_queries.Elsewhere("Elm School", "dsl@elm.example", 3, 1),
    ]
    assert register_queries.elsewhere(db.session, entry(SARA_OTHER, outsider)) == []


def test_accounts_of_a_case_include_those_of_its_reports_and_those_staff_added(app, make):
    school = make.school()
    dsl = make.user(school, "dsl")
    case = case_for(school, named(make, school, ("instagram", "@brum_beef_100")))
    register.add_to_case(db.session, case, Place("tiktok", "@owen_bums_mr_crane"), dsl.id)
    db.session.commit()
    assert [a.canonical_key for a in register_queries.accounts_in_case(db.session, case)] == [
        SARA_OTHER, "tiktok:owen_bums_mr_crane"]


def test_the_trust_register_lists_each_account_once_across_its_schools(app, make):
    trust, (oak, elm) = trust_of(make, "Oak Academy", "Elm School")
    outsider = make.school()
    lead = make.user(oak, "dsl")
    db.session.add(TrustLead(user_id=lead.id, trust_id=trust.id))
    db.session.commit()
    named(make, oak, ("instagram", "@brum_beef_100"))
    named(make, elm, ("instagram", "@brum_beef_100"), ("instagram", "@slags_of_birmingham_xx"))
    named(make, outsider, ("instagram", "@owen_bums_mr_crane"))
    trusts = register_trust.trust_ids_for(db.session, lead.id)
    ids = register_trust.school_ids_in(db.session, trusts)
    assert sorted(ids) == sorted([oak.id, elm.id])
    rows, more = register_trust.shared_register(db.session, ids, RegisterFilter(sort="reports"))
    assert [(r.display, r.schools, r.reports) for r in rows] == [
        ("@brum_beef_100", 2, 2), ("@slags_of_birmingham_xx", 1, 1)]
    assert not more

    found, holdings = register_trust.holdings(db.session, ids, rows[0].public_id)
    assert found.canonical_key == SARA_OTHER
    assert [(h.school_name, h.reports, h.contact_email) for h in holdings] == [
        ("Elm School", 1, "safeguarding@trust.example"),
        ("Oak Academy", 1, "safeguarding@trust.example")]
    outsider_entry = db.session.scalar(select(OnlineAccount)
                                       .where(OnlineAccount.school_id == outsider.id))
    assert register_trust.holdings(db.session, ids, outsider_entry.public_id) is None


def test_reports_already_in_the_case_are_not_other_reports(app, make):
    school = make.school()
    reports = [named(make, school, ("instagram", "@slags_of_birmingham_xx")) for _ in range(4)]
    case = case_for(school, *reports)
    reach = register_queries.reach(db.session, entry(SARA_PAGE))
    assert (reach.other_reports(None, case.id), reach.other_cases(case.id)) == (0, 0)
    # From one report of the case: its three neighbours are in the same case too.
    assert reach.other_reports(reports[0].id, case.id) == 0
    outside = named(make, school, ("instagram", "@slags_of_birmingham_xx"))
    reach = register_queries.reach(db.session, entry(SARA_PAGE))
    assert reach.other_reports(None, case.id) == 1
    assert reach.other_reports(outside.id) == 4
