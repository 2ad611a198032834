"""Names in every spelling: search words, name variants, and which directory pupils a note's
text names (so a minimised referral can leave them out)."""

from __future__ import annotations

from datetime import date

import pytest

from schoolsafe.extensions import db
from schoolsafe.models import Case, CasePerson, Pupil
from schoolsafe.services.pupils import directory, minimise
from schoolsafe.services.pupils.names import NameParts, fold, tokens, variants
from schoolsafe.services.pupils.search import search


def test_folding_takes_off_accents_and_case():
    assert fold("Zoë CHLOÉ Siobhán") == "zoe chloe siobhan"


def test_a_pupils_words_include_hyphenated_parts_their_names_run_together_and_the_upn():
    words = tokens(NameParts("Maisie", "Adebayo-Clarke", "Mai", ("Maisie Brown",)), "A1B")
    assert {"maisie", "mai", "adebayo", "clarke", "adebayoclarke", "brown", "a1b"} <= words


def test_every_variant_of_a_name_longest_first():
    found = variants(NameParts("Maisie", "Adebayo-Clarke", "Mai"))
    assert found[:2] == ["Maisie Adebayo-Clarke", "Mai Adebayo-Clarke"]
    assert {"Maisie", "Mai", "Adebayo-Clarke", "Adebayo", "Clarke"} <= set(found)


@pytest.fixture
def school(make):
    return make.school("oak")


def pupil(school, upn, first, last, **fields) -> Pupil:
    record = Pupil(school_id=school.id, upn=upn, legal_first=first, legal_last=last,
                   date_of_birth=date(2013, 1, 1), **fields)
    db.session.add(record)
    db.session.flush()
    directory.reindex(db.session, [record])
    return record


def names_in(school, text: str) -> set[str]:
    return {n.name for n in minimise.in_text(db.session, school.id, text)}


def test_a_pupil_named_in_text_is_found_by_full_name_first_name_or_rare_surname(school):
    pupil(school, "A1", "Zoë", "Nowak")
    pupil(school, "A2", "Will", "Okonjo-Reyes")
    for n in range(8):
        pupil(school, f"S{n}", f"Child{n}", "Smith")
    pupil(school, "A3", "May", "Smith")
    assert {"Zoë", "Nowak"} <= names_in(school, "Spoke to zoe nowak at lunch.")
    assert "Zoë" in names_in(school, "Zoe was upset.")
    assert {"Will", "Okonjo-Reyes"} <= names_in(school, "Okonjo-Reyes sent it.")
    # Ordinary words and common surnames alone name nobody.
    assert names_in(school, "They will talk to mr smith in May.") == set()
    assert names_in(school, "Mrs Smith phoned.") == set()
    assert "May Smith" in names_in(school, "May Smith was there.")


def test_a_case_hides_its_linked_children_in_every_form_and_names_in_its_labels(school):
    mai = pupil(school, "A1", "Maisie", "Adebayo-Clarke", preferred_first="Mai")
    case = Case(school_id=school.id, reference="C-1", people=[
        CasePerson(label="Mai", role="harmed", pupil_id=mai.id),
        CasePerson(label="Jordan Price", role="alleged"),
        CasePerson(label="Year 9 boy", role="bystander")])
    db.session.add(case)
    db.session.flush()
    hidden = {n.name for n in minimise.for_case(db.session, case, ["Nothing else."])}
    assert {"Maisie", "Mai", "Adebayo", "Clarke", "Adebayo-Clarke", "Jordan", "Price"} <= hidden
    assert "Year" not in hidden and "boy" not in hidden


def test_search_ranks_the_closest_match_first_and_stays_in_the_school(school, make):
    pupil(school, "A1", "Maisie", "Adebayo-Clarke", preferred_first="Mai")
    pupil(school, "A2", "Maisie", "Jones")
    elm = make.school("elm")
    pupil(elm, "E1", "Maisie", "Adebayo-Clarke")
    found = [f.pupil.upn for f in search(db.session, school.id, "maisie adebayo clarke")]
    assert found == ["A1"]
    assert [f.pupil.upn for f in search(db.session, school.id, "Maisie")] == ["A1", "A2"]
    assert search(db.session, school.id, "x") == []
