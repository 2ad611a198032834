"""The words insight uses for each group, and how free-text year answers become year groups.

Pupils type their year or form however they like ("9B", "yr 10", "Year 7 Mr Ash"). Only
the fixed label a typed answer folds into is ever shown, so nothing a pupil wrote reaches a
chart, a table or an export.
"""

from __future__ import annotations

import re

from schoolsafe.services.accounts.canonical import PLATFORMS
from schoolsafe.services.reports.categories import CATEGORY_LABELS
from schoolsafe.vocab import (
    N_,
    AccountKind,
    AccountStatus,
    RegisterChange,
    ReportSource,
    Urgency,
)

RECIPIENTS = {
    "police": N_("Police"),
    "posh": N_("Professionals Online Safety Helpline (POSH)"),
    "ceop": N_("CEOP"),
    "social_care": N_("Children's social care"),
    "report_harmful_content": N_("Report Harmful Content"),
    "other_school": N_("Another school"),
}
CASE_AGES = {"week": N_("Opened in the last week"), "month": N_("1 to 4 weeks old"),
             "term": N_("1 to 3 months old"), "older": N_("More than 3 months old")}

NOT_GIVEN, OTHER_ANSWER, RECEPTION, SIXTH_FORM = (N_("Not given"), N_("Another answer"),
                                                  N_("Reception"), N_("Sixth form"))
_YEAR = re.compile(r"^(?:(year|yr|y|grade|gr|form|class)\s*)?(\d{1,2})(?!\d)")
_SIXTH = re.compile(r"\b(sixth|6th|lower 6|upper 6|l6|u6)\b")
YEAR_ORDER = ([RECEPTION] + [f"Year {n}" for n in range(1, 14)]
              + [f"Grade {n}" for n in range(1, 13)] + [SIXTH_FORM, OTHER_ANSWER, NOT_GIVEN])

ORDERS: dict[str, list[str]] = {
    "source": list(ReportSource.values()),
    "category": list(CATEGORY_LABELS),
    "year": YEAR_ORDER,
    "platform": list(PLATFORMS),
    "kind": list(AccountKind.values()),
}
LABELS: dict[str, dict[str, str]] = {
    "source": ReportSource.labels(), "category": CATEGORY_LABELS, "platform": PLATFORMS,
    "kind": AccountKind.labels(), "year": {label: label for label in YEAR_ORDER},
    "recipient": RECIPIENTS, "status": AccountStatus.labels(), "change": RegisterChange.labels(),
    "age": CASE_AGES, "urgency": Urgency.labels(),
}
# Groups shown even when empty, so "none this year" is visible; the others only when used.
ALWAYS_LISTED = frozenset({"source", "category", "kind"})


def year_label(answer: str) -> str:
    """The year group a typed answer names, or a catch-all label."""
    text = re.sub(r"[^\w\s]", " ", answer.strip().lower()).strip()
    if not text:
        return NOT_GIVEN
    if text.startswith("rec"):
        return RECEPTION
    if _SIXTH.search(text):
        return SIXTH_FORM
    match = _YEAR.match(text)
    if match is None:
        return OTHER_ANSWER
    number = int(match.group(2))
    if match.group(1) in ("grade", "gr"):
        return f"Grade {number}" if 1 <= number <= 12 else OTHER_ANSWER
    return f"Year {number}" if 1 <= number <= 13 else OTHER_ANSWER


def label(kind: str, code: str) -> str:
    """The words for one group; unknown codes are shown tidied rather than dropped."""
    return LABELS.get(kind, {}).get(code) or code.replace("_", " ").capitalize()
