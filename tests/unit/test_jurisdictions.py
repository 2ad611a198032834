"""Jurisdiction packs: the shipped ones load, and a broken pack stops start-up with one line
naming the file and the key."""

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from schoolsafe.services.jurisdictions.packs import (
    HELP_BY_WHO,
    HELP_TOPICS,
    JURISDICTIONS_DIR,
    JurisdictionError,
    load_jurisdictions,
)
from schoolsafe.services.referrals.rules import draft_referral
from schoolsafe.vocab import About
from tests.unit.test_referrals import BASE, NOW

DELETE = object()


def toml_value(value):
    """Write a value as TOML; inline tables keep the whole pack expressible as key = value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return "{ " + ", ".join(f"{key} = {toml_value(item)}" for key, item in value.items()) + " }"


def valid_pack():
    """The smallest pack the schema accepts, fresh for each test to change one thing in."""
    crisis = {"name": "Helpline", "phone": "0800 000", "note": "Any time."}
    emergency = {"name": "Emergency services", "phone": "999", "note": "If someone is hurt."}
    help_sections = {
        topic: {"title": f"About {topic}", "paragraphs": ["Tell someone you trust."],
                "contacts": []}
        for topic in HELP_TOPICS
    }
    for topic in HELP_BY_WHO:
        help_sections[topic] = {about: {**help_sections[topic], "title": f"{topic} ({about})"}
                                for about in About.values()}
    help_sections["danger_now"]["contacts"] = [emergency, crisis]
    help_sections["out_of_hours"]["contacts"] = [crisis]
    help_sections["out_of_hours"]["paragraphs"] = ["Staff are away.", "Back on {staff_back}."]
    return {
        "code": "pack",
        "name": "Test land",
        "languages": ["en"],
        "emergency_number": "999",
        "non_emergency_police": "",
        "quick_exit_url": "https://weather.example.org",
        "crisis_line": {"name": "Helpline", "phone": "0800 000", "hours": "any time"},
        "help": help_sections,
        "recipients": {
            kind: {"name": kind, "email": "", "phone": "", "hours": "", "url": "",
                   "minimised": kind == "other_school", "asks": "Please help.", "notes": [],
                   "statutory": kind in ("police", "social_care")}
            for kind in ("police", "social_care", "other_school", "posh")
        },
        "checklist": [
            {"id": "refer-now", "text": "Refer now.", "when": {"urgency_at_least": "immediate"},
             "refer_now": True},
            {"id": "no-images", "text": "Do not view images.", "when": {"always": True}},
        ],
    }


def changed(data, path, value):
    """Set (or delete) the value at a dotted path such as checklist.1.when."""
    *parents, last = path.split(".")
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    key = int(last) if isinstance(data, list) else last
    if value is DELETE:
        del data[key]
    else:
        data[key] = value


def write(directory: Path, data, stem="pack"):
    text = "\n".join(f"{key} = {toml_value(value)}" for key, value in data.items())
    (directory / f"{stem}.toml").write_text(text + "\n", encoding="utf-8")


def test_the_smallest_valid_pack_loads(tmp_path):
    write(tmp_path, valid_pack())
    pack = load_jurisdictions(tmp_path)["pack"]
    assert pack.name == "Test land"
    assert [rule.refer_now for rule in pack.checklist] == [True, False]  # default is false
    assert "ceop" not in pack.recipients  # optional roles may be left out


# A recipient that expects the platform first, as England and Wales's POSH does.
AFTER_PLATFORM = {"wait": "48 hours", "sooner_if": "safeguarding_concern",
                  "wait_from": "newest_report", "warn_no_report": "Report it first.",
                  "warn_too_soon": "Wait first.", "step_title": "Ask them",
                  "step_sooner": "Concern.", "step_waited": "Waited."}
# A kind England and Wales does not have, as a pack may add one.
LADO = {"name": "Local Authority Designated Officer (LADO)", "email": "lado@council.example.org",
        "minimised": False, "asks": "Advise on the allegation about a member of staff.",
        "needs_any_factor": {"factors": ["adult_involved"], "warning": "No adult is involved."}}


def pack_with_lado(directory: Path):
    """Write and load a small pack with a recipient kind of its own."""
    data = valid_pack()
    data["recipients"]["lado"] = dict(LADO)
    write(directory, data)
    return load_jurisdictions(directory)["pack"]


def test_a_pack_can_add_a_recipient_kind_of_its_own(tmp_path):
    lado = pack_with_lado(tmp_path).recipients["lado"]
    assert (lado.kind, lado.name, lado.email) == (
        "lado", LADO["name"], "lado@council.example.org")
    assert lado.needs_any_factor.factors == {"adult_involved"}
    assert lado.after_platform is None and lado.min_age is None


def test_a_recipient_can_wait_for_the_platform_first(tmp_path):
    data = valid_pack()
    data["recipients"]["posh"]["after_platform"] = {**AFTER_PLATFORM, "wait": "7 days"}
    write(tmp_path, data)
    rule = load_jurisdictions(tmp_path)["pack"].recipients["posh"].after_platform
    assert (rule.wait, rule.sooner_if, rule.warn_unreported) == (
        timedelta(days=7), "safeguarding_concern", "")


def test_a_referral_can_be_drafted_for_a_kind_a_pack_adds(tmp_path):
    lado = pack_with_lado(tmp_path).recipients["lado"]
    draft = draft_referral(lado, BASE, now=NOW)
    assert draft.kind == "lado" and draft.to == ("lado@council.example.org",)
    assert f"is referring case OAK-0042 to {LADO['name']}." in draft.body
    assert "No adult is involved." in draft.warnings
    adult = draft_referral(lado, replace(BASE, factors=frozenset({"adult_involved"})), now=NOW)
    assert "No adult is involved." not in adult.warnings


BROKEN = [
    # (what is wrong, dotted path in the test data, new value, key the message must name)
    ("code is not the file name", "code", "other", "code"),
    ("name missing", "name", DELETE, "name"),
    ("blank emergency number", "emergency_number", " ", "emergency_number"),
    ("letters in a phone number", "crisis_line.phone", "0800 CHILD", "crisis_line.phone"),
    ("script link as quick exit", "quick_exit_url", "javascript:alert(1)", "quick_exit_url"),
    ("plain http link", "quick_exit_url", "http://weather.example.org", "quick_exit_url"),
    ("unknown top-level key", "colour", "blue", "colour"),
    ("help topic missing", "help.general", DELETE, "help.general"),
    ("unknown help topic", "help.bullying", {"title": "x"}, "help.bullying"),
    ("help with no paragraphs", "help.general.paragraphs", [], "help.general.paragraphs"),
    ("blank paragraph", "help.unwanted.friend.paragraphs", ["Fine.", " "],
     "help.unwanted.friend.paragraphs[1]"),
    ("help for a bystander missing", "help.nude_shared.witnessed", DELETE,
     "help.nude_shared.witnessed"),
    ("help for a friend missing", "help.threats.friend", DELETE, "help.threats.friend"),
    ("one section for everyone where who matters", "help.adult_involved",
     {"title": "x", "paragraphs": ["y."], "contacts": []}, "help.adult_involved.self"),
    ("unknown who", "help.fake_or_page.teacher", {"title": "x", "paragraphs": ["y."]},
     "help.fake_or_page.teacher"),
    ("placeholder in help for a friend", "help.unwanted.friend.paragraphs",
     ["See you {staff_back}."], "help.unwanted.friend.paragraphs[0]"),
    ("contact with no phone or url", "help.general.contacts", [{"name": "A", "note": "B"}],
     "help.general.contacts[0]"),
    ("crisis help without the emergency number", "help.danger_now.contacts",
     [{"name": "Helpline", "phone": "0800 000", "note": "Any time."}], "help.danger_now.contacts"),
    ("out-of-hours help without the 24-hour line", "help.out_of_hours.contacts",
     [{"name": "Emergency", "phone": "999", "note": "Now."}], "help.out_of_hours.contacts"),
    ("out-of-hours help never says when staff are back", "help.out_of_hours.paragraphs",
     ["Staff are away."], "help.out_of_hours.paragraphs"),
    ("out-of-hours help only makes sense with a time", "help.out_of_hours.paragraphs",
     ["Back on {staff_back}."], "help.out_of_hours.paragraphs"),
    ("placeholder outside out-of-hours help", "help.general.paragraphs",
     ["See you {staff_back}."], "help.general.paragraphs[0]"),
    ("unknown placeholder", "help.out_of_hours.paragraphs",
     ["Hello {name}.", "Back on {staff_back}."], "help.out_of_hours.paragraphs[0]"),
    ("police recipient missing", "recipients.police", DELETE, "recipients.police"),
    ("unknown recipient kind", "recipients.mash", {"name": "x"}, "recipients.mash"),
    ("bad default address", "recipients.posh.email", "helpline-at-example",
     "recipients.posh.email"),
    ("minimised not true or false", "recipients.posh.minimised", "yes",
     "recipients.posh.minimised"),
    ("note that is not text", "recipients.posh.notes", [48], "recipients.posh.notes[0]"),
    ("recipient kind that is not a code", "recipients.Lado-Team", dict(LADO),
     "recipients.Lado-Team"),
    ("recipient without what it asks", "recipients.posh.asks", DELETE, "recipients.posh"),
    ("unknown rule in a recipient", "recipients.posh.rules", {"x": 1}, "recipients.posh.rules"),
    ("unknown factor a recipient needs", "recipients.posh.needs_any_factor",
     {"factors": ["adult"], "warning": "x"}, "recipients.posh.needs_any_factor.factors[0]"),
    ("factor rule without a warning", "recipients.posh.needs_any_factor",
     {"factors": ["threats"]}, "recipients.posh.needs_any_factor.warning"),
    ("age limit a case cannot record", "recipients.posh.min_age",
     {"age": 16, "warning": "x"}, "recipients.posh.min_age.age"),
    ("wait in weeks", "recipients.posh.after_platform", {**AFTER_PLATFORM, "wait": "2 weeks"},
     "recipients.posh.after_platform.wait"),
    ("wait as a bare number", "recipients.posh.after_platform", {**AFTER_PLATFORM, "wait": 48},
     "recipients.posh.after_platform.wait"),
    ("unknown reason to go sooner", "recipients.posh.after_platform",
     {**AFTER_PLATFORM, "sooner_if": "always"}, "recipients.posh.after_platform.sooner_if"),
    ("unknown report to wait from", "recipients.posh.after_platform",
     {**AFTER_PLATFORM, "wait_from": "last"}, "recipients.posh.after_platform.wait_from"),
    ("next step without a title", "recipients.posh.after_platform",
     {**AFTER_PLATFORM, "step_title": " "}, "recipients.posh.after_platform.step_title"),
    ("no checklist", "checklist", [], "checklist"),
    ("duplicate rule id", "checklist.1.id", "refer-now", "checklist[1].id"),
    ("rule id with spaces", "checklist.1.id", "No Images", "checklist[1].id"),
    ("unknown factor", "checklist.1.when", {"factors_any": ["danger"]},
     "checklist[1].when.factors_any"),
    ("unknown category", "checklist.1.when", {"categories_any": ["nudes"]},
     "checklist[1].when.categories_any"),
    ("unknown choice", "checklist.1.when", {"choices_any": ["fake"]},
     "checklist[1].when.choices_any"),
    ("unknown platform status", "checklist.1.when", {"platform_status_any": ["gone"]},
     "checklist[1].when.platform_status_any"),
    ("unknown urgency", "checklist.1.when", {"urgency_at_least": "urgent"},
     "checklist[1].when.urgency_at_least"),
    ("posted_by_known not true or false", "checklist.1.when", {"posted_by_known": "no"},
     "checklist[1].when.posted_by_known"),
    ("always = false", "checklist.1.when", {"always": False}, "checklist[1].when.always"),
    ("unknown condition", "checklist.1.when", {"colour": "blue"}, "checklist[1].when.colour"),
    ("empty condition", "checklist.1.when", {}, "checklist[1].when"),
    ("rule without a condition", "checklist.1.when", DELETE, "checklist[1].when"),
    ("empty any", "checklist.1.when", {"any": []}, "checklist[1].when.any"),
    ("bad condition inside any", "checklist.1.when", {"any": [{"choices_any": ["x"]}]},
     "checklist[1].when.any[0].choices_any"),
    ("no refer-now rule", "checklist.0.refer_now", False, "checklist"),
    ("two refer-now rules", "checklist.1.refer_now", True, "checklist"),
    ("police not a statutory referral", "recipients.police.statutory", False,
     "recipients.police.statutory"),
    ("social care statutory left out", "recipients.social_care.statutory", DELETE,
     "recipients.social_care.statutory"),
    ("statutory not true or false", "recipients.posh.statutory", "yes",
     "recipients.posh.statutory"),
    ("unknown done_when", "checklist.1.done_when", "tea_made", "checklist[1].done_when"),
]


@pytest.mark.parametrize(("path", "value", "key"),
                         [pytest.param(*row[1:], id=row[0]) for row in BROKEN])
def test_a_broken_pack_fails_with_one_line_naming_file_and_key(tmp_path, path, value, key):
    data = valid_pack()
    changed(data, path, value)
    write(tmp_path, data)
    with pytest.raises(JurisdictionError) as raised:
        load_jurisdictions(tmp_path)
    message = str(raised.value)
    assert message.startswith(f"pack.toml: {key}: "), message
    assert "\n" not in message


def test_statutory_recipients_and_self_ticking_steps_are_read_from_every_shipped_pack():
    for pack in load_jurisdictions(JURISDICTIONS_DIR).values():
        statutory = {kind for kind, r in pack.recipients.items() if r.statutory}
        assert statutory == {"police", "social_care", "ceop", "lado"} & set(pack.recipients), \
            pack.code
        ticks = {rule.id: rule.done_when for rule in pack.checklist if rule.done_when}
        # An allegation about staff: sending to its designated officer (or, where a pack names
        # none, the usual statutory bodies) ticks its refer step.
        refer = "allegation-refer-lado" if "lado" in pack.recipients else "allegation-refer"
        assert ticks == {"refer-now": "statutory_referral_sent",
                         "review-date": "review_date_set",
                         refer: "statutory_referral_sent"}, pack.code


def test_a_pack_that_is_not_toml_names_the_file(tmp_path):
    (tmp_path / "pack.toml").write_text('code = "pack"\nname = \n', encoding="utf-8")
    with pytest.raises(JurisdictionError, match=r"^pack\.toml: not valid TOML: [^\n]+$"):
        load_jurisdictions(tmp_path)


def test_an_empty_folder_is_an_error_and_other_files_are_ignored(tmp_path):
    (tmp_path / "README.md").write_text("notes", encoding="utf-8")
    with pytest.raises(JurisdictionError, match="no jurisdiction files"):
        load_jurisdictions(tmp_path)


# ---- the packs we ship ----------------------------------------------------------------------

SHIPPED = load_jurisdictions(JURISDICTIONS_DIR)


def test_every_shipped_pack_loads():
    assert set(SHIPPED) == {"england-wales", "wales", "belgium", "sweden", "united-states"}


def test_england_and_wales_has_every_referral_role_and_the_design_numbers():
    pack = SHIPPED["england-wales"]
    assert set(pack.recipients) == {"police", "posh", "ceop", "social_care",
                                    "report_harmful_content", "lado", "other_school"}
    assert (pack.emergency_number, pack.non_emergency_police) == ("999", "101")
    assert (pack.crisis_line.name, pack.crisis_line.phone) == ("Childline", "0800 1111")
    posh = pack.recipients["posh"]
    assert (posh.email, posh.phone) == ("helpline@saferinternet.org.uk", "0344 381 4772")
    assert "Monday to Friday" in posh.hours and "10am" in posh.hours and "4pm" in posh.hours


@pytest.mark.parametrize(
    ("kind", "minimised"),
    [("police", False), ("ceop", False), ("social_care", False), ("posh", True),
     ("report_harmful_content", True), ("other_school", True)],
)
def test_recipients_that_need_no_names_are_minimised_in_every_pack(kind, minimised):
    for pack in SHIPPED.values():
        if kind in pack.recipients:
            assert pack.recipients[kind].minimised is minimised, (pack.code, kind)


def test_england_and_wales_waits_and_limits_are_the_guidance_ones():
    recipients = SHIPPED["england-wales"].recipients
    posh, rhc = recipients["posh"].after_platform, recipients["report_harmful_content"]
    assert (posh.wait, posh.sooner_if) == (timedelta(hours=48), "safeguarding_concern")
    assert (rhc.after_platform.wait, rhc.after_platform.sooner_if) == (
        timedelta(days=7), "platform_answered")
    assert (rhc.min_age.age, rhc.min_age.factor) == (13, "under_13")
    for code in ("england-wales", "united-states"):
        assert SHIPPED[code].recipients["ceop"].needs_any_factor.factors == {
            "adult_involved", "coercion", "threats"}
    # Only the UK packs (England, and Wales with the same UK bodies) escalate after the platform.
    assert [(pack.code, r.kind) for pack in SHIPPED.values() for r in pack.recipients.values()
            if r.after_platform] == [("england-wales", "posh"),
                                     ("england-wales", "report_harmful_content"),
                                     ("wales", "posh"), ("wales", "report_harmful_content")]


@pytest.mark.parametrize(
    ("kind", "warning"),
    [("ceop", "fake accounts"), ("posh", "48 hours"), ("report_harmful_content", "13")],
)
def test_england_and_wales_draft_warnings_from_the_guidance(kind, warning):
    assert any(warning in note for note in SHIPPED["england-wales"].recipients[kind].notes)


GUIDANCE_FACTS = [
    ("england-wales", "CEOP"), ("england-wales", "Report Remove"), ("england-wales", "IWF"),
    ("england-wales", "Take It Down"), ("england-wales", "True Vision"),
    ("england-wales", "National Referral Mechanism"), ("england-wales", "Report Harmful Content"),
    ("wales", "CEOP"), ("wales", "Report Remove"), ("wales", "IWF"), ("wales", "POSH"),
    ("wales", "Report Harmful Content"),
    ("belgium", "116 000"), ("belgium", "102"), ("belgium", "106"), ("belgium", "CAW"),
    ("belgium", "IGVM"), ("belgium", "1813"),
    ("sweden", "BRIS"), ("sweden", "UMO"), ("sweden", "shelters"), ("sweden", "under 15"),
    ("united-states", "CyberTipline"), ("united-states", "IC3"),
    ("united-states", "Cyber Civil Rights Initiative"), ("united-states", "RAINN"),
]


@pytest.mark.parametrize(("code", "fact"), GUIDANCE_FACTS)
def test_each_pack_carries_the_services_its_guidance_names(code, fact):
    assert fact.lower() in pack_text(SHIPPED[code]).lower()


def pack_text(pack):
    """Every sentence a pack can show, joined, to look for a service by name."""
    parts = [pack.crisis_line.name]
    for section in pack.help.values():
        parts += [section.title, *section.paragraphs]
        parts += [f"{c.name} {c.phone} {c.note}" for c in section.contacts]
    for recipient in pack.recipients.values():
        parts += [recipient.name, recipient.asks, *recipient.notes]
    parts += [rule.text for rule in pack.checklist]
    return "\n".join(parts)


def test_rules_and_packs_can_be_kept_in_sets():
    pack = SHIPPED["england-wales"]
    assert len(set(pack.checklist)) == len(pack.checklist)
    assert pack in {pack}


@pytest.mark.parametrize("about", About.values())
@pytest.mark.parametrize("topic", HELP_BY_WHO)
def test_a_pack_without_help_for_each_who_fails_naming_file_and_key(tmp_path, topic, about):
    data = valid_pack()
    del data["help"][topic][about]
    write(tmp_path, data)
    with pytest.raises(JurisdictionError) as raised:
        load_jurisdictions(tmp_path)
    assert str(raised.value) == f"pack.toml: help.{topic}.{about}: missing"
