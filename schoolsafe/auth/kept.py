"""The words a kept form (sent after its session ended, see security.sessions) shows beside
each field it held.

Only the field names and values are kept, not the page the form was on, so each name is given
the label staff saw for it: the form's own where only one form sends that name, else one that
is true of every form sending it. Read in the page's language (a vocab.Labels).
"""

from __future__ import annotations

from schoolsafe.vocab import N_, Labels

# Every field a staff form (triage, register, concerns, insight, admin) sends, by name.
FIELD_LABELS = Labels({
    "accepted_by": N_("Accepted by"),
    "ack_minutes_high": N_("Minutes a high report may wait (school hours only)"),
    "ack_minutes_immediate": N_("Minutes an immediate report may wait before the next people "
                                "are told"),
    "action": N_("Action"),
    "answer": N_("What they said (optional)"),
    "assignee": N_("Assigned to"),
    "body": N_("What you wrote"),
    "can_refer": N_("May send referrals (safeguarding leads always may)"),
    "case": N_("Case"),
    "categories": N_("Category"),
    "category": N_("Category"),
    "checklist_item": N_("From a checklist step (optional)"),
    "client_id": N_("Client ID"),
    "client_secret": N_("Client secret"),
    "clock": N_("Time"),
    "closed_days": N_("Closed dates, one a line, like 2026-12-24"),
    "code": N_("Code"),
    "date_of_birth": N_("Date of birth (optional)"),
    "day": N_("Date"),
    "days": N_("Days staff read reports"),
    "decision_reason": N_("Reason"),
    "earlier": N_("Which earlier report does it follow?"),
    "email": N_("Email"),
    "end": N_("and stop at"),
    "factors": N_("Factors"),
    "fallback": N_("Fallback address"),
    "file": N_("CSV file"),
    "find_pupils": N_("Find a pupil"),
    "format": N_("Format"),
    "from": N_("From"),
    "include": N_("Put back in on purpose"),
    "issuer": N_("Issuer address"),
    "kind": N_("Kind"),
    "label": N_("Name, initials or description (as they chose)"),
    "language": N_("Pupil pages open in"),
    "languages": N_("Languages pupils can switch to"),
    "left_on": N_("The date they left"),
    "level": N_("Change urgency to"),
    "measures": N_("Measures"),
    "min_urgency": N_("Which reports"),
    "mode": N_("How staff sign in"),
    "name": N_("Name"),
    "next_steps": N_("What happens next (optional)"),
    "not_referred_to": N_("Not referring to"),
    "note": N_("What was done (optional; it goes in the case's chronology)"),
    "numbers": N_("Numbers"),
    "on_call": N_("On call: also told at once about immediate reports sent out of school "
                  "hours"),
    "others": N_("Anyone else there or spoken to"),
    "outcome": N_("Outcome"),
    "outcome_reason": N_("Reason"),
    "person": N_("Pupil"),
    "place": N_("Add a place"),
    "platform": N_("Platform"),
    "posted_by": N_("Is the person who posted it known?"),
    "present": N_("Present"),
    "preset": N_("Kind of provider"),
    "pupil": N_("Pupil"),
    "pupil_query": N_("Find another pupil by name"),
    "pupils": N_("Pupils"),
    "q": N_("Search"),
    "reader": N_("Let a safeguarding lead see this case"),
    "reason": N_("Reason"),
    "reference": N_("Reference or ticket number (optional)"),
    "referral": N_("Referral"),
    "responsible": N_("Who is responsible"),
    "review_on": N_("Review date"),
    "risks": N_("Risks"),
    "role": N_("Role on this case"),
    "roles": N_("Roles at this school"),
    "route": N_("How it was reported"),
    "said": N_("What was said, agreed or decided (facts, not images)"),
    "school": N_("School"),
    "scope": N_("Schools"),
    "sort": N_("Order"),
    "start": N_("Staff start reading at"),
    "state": N_("Show"),
    "status": N_("Status"),
    "subject": N_("Subject"),
    "task_assignee": N_("For"),
    "task_due": N_("Due"),
    "task_what": N_("What they are to do"),
    "text": N_("Account name, link, group name or phone number"),
    "tier": N_("When they are told"),
    "timezone": N_("Time zone"),
    "title": N_("Short title (optional)"),
    "to": N_("To"),
    "to_address": N_("Its safeguarding lead's email address"),
    "to_school": N_("The school"),
    "told": N_("Told"),
    "told_by": N_("If yes: who told them"),
    "told_on": N_("If yes: the date they were told"),
    "urgency": N_("Urgency"),
    "urgency_level": N_("Case urgency"),
    "urgency_reason": N_("Why?"),
    "user": N_("Member of staff"),
    "where": N_("Where"),
    "why_not": N_("If no: why not"),
    "year_group": N_("Year or form (optional)"),
})
# Fields named by a prefix and what they hold (register dates and times).
SUFFIX_LABELS = Labels({"_date": N_("Date"), "_time": N_("Time (optional, school time)")})


def field_label(name: str) -> str:
    """The label for a kept field, in the page's language; a name no form is known to send
    (one made from data, such as a column of an imported file) is shown as its words."""
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    for suffix in SUFFIX_LABELS:
        if name.endswith(suffix):
            return SUFFIX_LABELS[suffix]
    return name.replace("_", " ").capitalize()
