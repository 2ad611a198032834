"""The routing list as stored: loading it, and adding and removing entries with checks."""

from __future__ import annotations

import pytest

from schoolsafe.extensions import db
from schoolsafe.models import AlertRoute
from schoolsafe.services.alerts import routing
from schoolsafe.services.alerts.routing import RouteInput, RoutingError


def test_loading_resolves_staff_addresses_and_leaves_out_switched_off_accounts(make):
    school = make.school()
    lead, gone = make.user(school, "dsl"), make.user(school, "dsl")
    db.session.add_all([AlertRoute(school_id=school.id, user_id=lead.id, tier=1),
                        AlertRoute(school_id=school.id, user_id=gone.id, tier=2),
                        AlertRoute(school_id=school.id, email="head@s.example.org", tier=3,
                                   min_urgency="high", on_call=True)])
    gone.active = False
    school.fallback_email = "inbox@s.example.org"
    db.session.commit()

    loaded = routing.load(db.session, school)
    assert [(r.address, r.tier) for r in loaded.routes] == [(lead.email, 1),
                                                            ("head@s.example.org", 3)]
    assert loaded.routes[1].on_call and loaded.routes[1].min_urgency == "high"
    assert loaded.dsl_addresses == (lead.email,)
    assert loaded.fallback == "inbox@s.example.org"


def test_another_schools_staff_and_routes_are_not_loaded(make):
    oak, elm = make.school(), make.school()
    make.user(elm, "dsl")
    db.session.add(AlertRoute(school_id=elm.id, email="head@elm.example.org", tier=1))
    db.session.commit()
    assert routing.load(db.session, oak) == routing.Routing((), (), "")


@pytest.mark.parametrize(("data", "field", "message"), [
    (RouteInput(), "user", "Choose a member of staff or type an email address"),
    (RouteInput(user_id=1, email="a@b.example.org"), "user", "(one, not both)"),
    (RouteInput(email="a@b.example.org", tier=0), "tier", "Choose a tier from 1 to 5."),
    (RouteInput(email="a@b.example.org", tier=6), "tier", "Choose a tier from 1 to 5."),
    (RouteInput(email="a@b.example.org", min_urgency="urgent"), "min_urgency", "Choose which"),
    (RouteInput(email="a@b.example.org", categories=("gossip",)), "categories", "recognised"),
    (RouteInput(email="a@@b"), "email", "doesn't look like an email address"),
])
def test_bad_entries_are_refused_with_the_field_and_a_plain_message(make, data, field,
                                                                     message):
    school = make.school()
    with pytest.raises(RoutingError) as refused:
        routing.add_route(db.session, school.id, data)
    assert refused.value.field == field
    assert message in refused.value.message


def test_a_person_goes_on_a_tier_once_and_only_staff_of_the_school_can_be_chosen(make):
    oak, elm = make.school(), make.school()
    deputy, stranger = make.user(oak, "dsl"), make.user(elm, "dsl")
    routing.add_route(db.session, oak.id, RouteInput(user_id=deputy.id, tier=2))
    with pytest.raises(RoutingError, match="already on this tier"):
        routing.add_route(db.session, oak.id, RouteInput(user_id=deputy.id, tier=2))
    routing.add_route(db.session, oak.id, RouteInput(user_id=deputy.id, tier=3))
    with pytest.raises(RoutingError, match="member of staff at this school"):
        routing.add_route(db.session, oak.id, RouteInput(user_id=stranger.id))
    routing.add_route(db.session, oak.id, RouteInput(email=" Head@Oak.example.org "))
    with pytest.raises(RoutingError, match="already on this tier"):
        routing.add_route(db.session, oak.id, RouteInput(email="Head@oak.example.org"))


def test_removing_needs_the_entry_to_belong_to_the_school(make):
    oak, elm = make.school(), make.school()
    route = routing.add_route(db.session, elm.id, RouteInput(email="head@elm.example.org"))
    with pytest.raises(RoutingError, match="no longer on the list"):
        routing.remove_route(db.session, oak.id, route.id)
    routing.remove_route(db.session, elm.id, route.id)
    db.session.flush()
    assert db.session.get(AlertRoute, route.id) is None


def test_the_fallback_is_checked_and_can_be_cleared(make):
    school = make.school()
    routing.set_fallback(school, "  Safeguarding@Oak.example.org ")
    assert school.fallback_email == "Safeguarding@oak.example.org"
    with pytest.raises(RoutingError) as refused:
        routing.set_fallback(school, "safeguarding at oak")
    assert refused.value.field == "fallback"
    routing.set_fallback(school, "")
    assert school.fallback_email == ""
