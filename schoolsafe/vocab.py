"""The product's one vocabulary: states and kinds with their labels."""

from enum import StrEnum


class RecipientKind(StrEnum):
    """The referral recipient kinds the code treats specially.

    The set of kinds is open: each jurisdiction pack lists its recipients, with their labels
    and rules, and may add kinds of its own. Only kinds with behaviour of their own are named
    here.
    """

    POLICE = "police"
    SOCIAL_CARE = "social_care"
    OTHER_SCHOOL = "other_school"
    POSH = "posh"
    REPORT_HARMFUL_CONTENT = "report_harmful_content"
