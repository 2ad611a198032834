"""What a pupil ticks and answers becomes categories and an urgency; bad reports are refused."""

from __future__ import annotations

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from schoolsafe.services.register.linking import Place
from schoolsafe.services.reports import submit as reports
from schoolsafe.services.reports.categories import (
    CATEGORY_LABELS,
    CHOICES_BY_CODE,
    PUPIL_CHOICES,
    categories_for,
)
from schoolsafe.services.reports.submit import MAX_PLACES, ReportError, ReportInput
from schoolsafe.web.report_form import report_form
from schoolsafe.web.report_input import report_input

# DESIGN section 9, one row per plain choice a pupil can tick.
CATEGORY_OF_CHOICE = {
    "nude_shared": "sharing_images",
    "photo_taken": "sharing_images",
    "asked_for_nudes": "coercion",
    "threats": "coercion",
    "bait_out_page": "sexualised_bullying",
    "fake_profile": "sexualised_bullying",
    "rumours": "sexualised_bullying",
    "unwanted_messages": "unwanted_sexualisation",
    "edited_image": "unwanted_sexualisation",
    "something_else": "other",
}


@pytest.fixture(scope="module")
def form_app():
    """Just enough Flask for the form to read a posted body (no database, no CSRF)."""
    app = Flask(__name__)
    app.config.update(WTF_CSRF_ENABLED=False, SECRET_KEY="unit")
    return app


def answers_to_input(form_app, answers: dict) -> ReportInput:
    data = MultiDict({"about": "self", **answers})
    if "choices" in answers:
        data.setlist("choices", answers["choices"])
    with form_app.test_request_context("/tell/x", method="POST", data=data):
        form = report_form(data)
        assert form.validate(), form.errors
        return report_input(form)


def test_every_choice_maps_to_its_category_and_every_category_is_reachable():
    assert {c.code: c.category for c in PUPIL_CHOICES} == CATEGORY_OF_CHOICE
    assert set(CATEGORY_OF_CHOICE.values()) == set(CATEGORY_LABELS)


def test_several_choices_give_each_category_once_in_a_fixed_order():
    assert categories_for(["rumours", "nude_shared", "fake_profile", "threats"]) == [
        "sharing_images", "coercion", "sexualised_bullying"]
    assert categories_for([]) == []
    assert categories_for(["not_a_choice"]) == []


def test_choice_labels_are_plain_words_without_category_names():
    for choice in PUPIL_CHOICES:
        assert not any(label.lower() in choice.label.lower()
                       for label in CATEGORY_LABELS.values() if label != "Something else")
        assert len(choice.label) < 110


URGENCY_FROM_ANSWERS = [
    ({}, "standard"),
    ({"choices": ["rumours"]}, "standard"),
    ({"choices": ["unwanted_messages"]}, "standard"),
    ({"choices": ["nude_shared"]}, "medium"),
    ({"choices": ["photo_taken"]}, "medium"),
    ({"choices": ["fake_profile"]}, "medium"),
    ({"choices": ["bait_out_page"]}, "medium"),
    ({"choices": ["edited_image"]}, "medium"),
    ({"choices": ["asked_for_nudes"]}, "high"),
    ({"choices": ["threats"]}, "high"),
    ({"threats": "y"}, "high"),
    ({"adult_involved": "y"}, "high"),
    ({"under_13": "y"}, "high"),
    ({"assault_recording": "y"}, "high"),
    ({"danger_now": "y"}, "immediate"),
    ({"self_harm": "y"}, "immediate"),
    ({"self_harm": "y", "choices": ["rumours"]}, "immediate"),
    ({"under_13": "y", "choices": ["nude_shared", "rumours"]}, "high"),
]


@pytest.mark.parametrize(("answers", "level"), URGENCY_FROM_ANSWERS,
                         ids=[str(a) for a, _ in URGENCY_FROM_ANSWERS])
def test_urgency_follows_the_forms_answers(form_app, answers, level):
    data = answers_to_input(form_app, {"narrative": "words", **answers})
    assessment = reports.assess(data)
    assert assessment.level == level
    assert bool(assessment.reasons) == (level != "standard")


def test_each_urgency_question_on_the_form_becomes_its_factor(form_app):
    questions = ("danger_now", "self_harm", "threats", "adult_involved", "under_13",
                 "assault_recording")
    data = answers_to_input(form_app, {name: "y" for name in questions})
    assert data.factors == frozenset(questions)
    assert answers_to_input(form_app, {"narrative": "x"}).factors == frozenset()


def test_a_choice_sent_twice_counts_once(form_app):
    data = answers_to_input(form_app, {"choices": ["rumours", "threats", "rumours"]})
    assert data.choices == ("rumours", "threats")


def test_the_form_gives_cleaned_text_and_only_the_places_that_were_filled(form_app):
    data = answers_to_input(form_app, {
        "place1-platform": "tiktok", "place1-text": "  @page\u200b_one ", "place2-text": "",
        "place3-platform": "", "place3-text": "group chat  'Year 9'", "started": " last\nweek ",
        "narrative": "line one\r\nline two\u202e"})
    assert data.places == (Place("tiktok", "@page_one"), Place("", "group chat 'Year 9'"))
    assert data.started == "last week"
    assert data.narrative == "line one\nline two"


def good(**changes) -> ReportInput:
    return ReportInput(**{"about": "self", "choices": ("rumours",), **changes})


@pytest.mark.parametrize(("data", "field", "position", "words"), [
    (good(about="someone"), "about", None, "who this is about"),
    (good(choices=()), "choices", None, "tick what happened or tell us"),
    (good(choices=("nope",)), "choices", None, "wasn't recognised"),
    (good(factors=frozenset({"nope"})), "choices", None, "wasn't recognised"),
    (good(narrative="n" * 5001), "narrative", None, "under 5000 characters"),
    (good(reporter_year="y" * 41), "reporter_year", None, "under 40 characters"),
    (good(places=(Place("", "@ok"), Place("", "p" * 501))), "places", 1, "under 500"),
    (good(places=(Place("myspace", "@x"),)), "place_platform", 0, "from the list"),
    (good(places=tuple(Place("", f"@p{n}") for n in range(MAX_PLACES + 1))), "places", None,
     f"up to {MAX_PLACES} places"),
    (good(friend_name="data:image/png;base64,AAAA"), "friend_name", None, "don't send pictures"),
    (good(places=(Place("", "@a"), Place("", "Qk0" * 80))), "places", 1, "don't send pictures"),
])
def test_reports_we_cant_take_name_the_answer_at_fault(data, field, position, words):
    with pytest.raises(ReportError) as caught:
        reports.check(data)
    assert (caught.value.field, caught.value.position) == (field, position)
    assert words in caught.value.message


def test_a_report_with_only_own_words_a_place_or_an_urgency_answer_is_accepted():
    reports.check(good(choices=(), narrative="Something happened"))
    reports.check(good(choices=(), places=(Place("instagram", "@page"),)))
    reports.check(good(choices=(), factors=frozenset({"danger_now"})))
    assert set(CHOICES_BY_CODE) == set(CATEGORY_OF_CHOICE) | {"wants_to_talk"}
