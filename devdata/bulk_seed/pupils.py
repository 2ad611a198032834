"""Generated reports of one school and the online places they name.

Reports arrive more often in later years (use grows), most name one or two places, and
about half of the places are pages or accounts the school has already seen - the same
bait-out page reported by several pupils - so the register holds fewer entries than there
are sightings, as it does in real use.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from functools import lru_cache

from devdata.bulk_seed import words
from devdata.bulk_seed.plan import Account, Context, Report, SchoolPlan, Sighting
from schoolsafe.services.accounts.canonical import canonicalise
from schoolsafe.services.register.linking import suggested_kind
from schoolsafe.services.reports import urgency
from schoolsafe.services.reports.categories import categories_for
from schoolsafe.vocab import ReportSource

# (choice, weight): what pupils tick most often, from the deSHAME figures' order.
CHOICE_WEIGHTS = (("rumours", 20), ("bait_out_page", 16), ("nude_shared", 14),
                  ("unwanted_messages", 14), ("fake_profile", 10), ("asked_for_nudes", 9),
                  ("photo_taken", 5), ("threats", 4), ("edited_image", 5),
                  ("something_else", 3))
FACTOR_WEIGHTS = (("many_children", 30), ("threats", 20), ("coercion", 14),
                  ("under_13", 10), ("known_vulnerable", 8), ("adult_involved", 6),
                  ("self_harm", 5), ("danger_now", 3), ("assault_recording", 2),
                  ("extreme_content", 2))
PLACES_PER_REPORT = ((0, 25), (1, 50), (2, 18), (3, 7))
SEEN_BEFORE = 0.45      # a place is an entry the school already has
FROM_THE_AREA = 0.05    # a place is an area-wide page other schools of the trust have too
LOOKALIKE = 0.02        # a place is a near-copy of a known entry (a page re-made)
RECENT_ENTRIES = 300    # pupils name recent pages far more often than old ones
STAFF_SHARE = 0.08      # concerns logged by staff rather than pupils


def _pick(ctx: Context, weighted: tuple[tuple, ...]):
    values, weights = zip(*weighted, strict=True)
    return ctx.rng.choices(values, weights)[0]


@lru_cache(maxsize=4096)
def _assessed(choices: tuple[str, ...], factors: tuple[str, ...]) -> tuple[list[str],
                                                                           urgency.Assessment]:
    categories = categories_for(list(choices))
    return categories, urgency.assess(set(factors), set(categories), set(choices))


def arrival_times(ctx: Context, count: int) -> list[datetime]:
    """Times spread over the years asked for, denser towards now, oldest first."""
    span = timedelta(days=365 * ctx.volumes.years).total_seconds()
    start = ctx.now - timedelta(seconds=span)
    # Density growing linearly with time: the square root of a uniform draw.
    return sorted(start + timedelta(seconds=span * math.sqrt(ctx.rng.random()))
                  for _ in range(count))


def new_report(ctx: Context, plan: SchoolPlan, at: datetime) -> Report:
    """One report: what happened, how urgent, who sent it."""
    rng = ctx.rng
    choices = tuple(sorted({_pick(ctx, CHOICE_WEIGHTS) for _ in range(rng.choice((1, 1, 2)))}))
    factors = tuple(sorted({_pick(ctx, FACTOR_WEIGHTS)})) if rng.random() < 0.15 else ()
    categories, assessment = _assessed(choices, factors)
    staff = rng.random() < STAFF_SHARE
    urgent = urgency.rank(assessment.level) <= urgency.rank("high")
    return Report(id=ctx.sink.new_id("report"), at=at, choices=list(choices),
                  factors=list(factors), categories=categories, urgency=assessment.level,
                  reasons=list(assessment.reasons),
                  source=ReportSource.STAFF_CONCERN if staff else ReportSource.PUPIL,
                  logged_by=rng.choice(plan.staff) if staff else None,
                  messages=0 if staff or rng.random() > 0.2 else rng.randrange(1, 4),
                  escalations=1 if urgent and rng.random() < 0.3 else 0)


class Places:
    """One school's register while it is generated: entries by key, newest last."""

    def __init__(self, ctx: Context, plan: SchoolPlan, area_pages: list[tuple[str, str]]):
        self.ctx = ctx
        self.plan = plan
        self.area_pages = area_pages
        self.by_key: dict[tuple[str, str], Account] = {}
        self.recent: list[Account] = []
        self.lookalikes: list[tuple[Account, Account]] = []

    def name_places(self, report: Report) -> None:
        """Decide which places the report names, creating entries as needed."""
        for _ in range(_pick(self.ctx, PLACES_PER_REPORT)):
            sighting = self._one_place(report)
            if sighting is None:
                continue
            if all(s.account is not sighting.account for s in report.sightings):
                sighting.account.report_count += 1
            sighting.account.last_seen = report.at
            report.sightings.append(sighting)

    def _one_place(self, report: Report) -> Sighting | None:
        rng = self.ctx.rng
        draw = rng.random()
        if draw < SEEN_BEFORE and self.recent:
            # Triangular towards the newest: this month's page is named again, not 2017's.
            account = self.recent[-1 - int(rng.triangular(0, len(self.recent), 0))]
            return Sighting(account, account.platform, account.display)
        if draw < SEEN_BEFORE + FROM_THE_AREA and self.area_pages:
            return self._sighted(report, *rng.choice(self.area_pages))
        if draw < SEEN_BEFORE + FROM_THE_AREA + LOOKALIKE and self.recent:
            # The same page re-made with a number added, as pages are after a takedown.
            original = rng.choice(self.recent)
            return self._sighted(report, original.platform,
                                 f"{original.display}{rng.randrange(2, 9)}", like=original)
        platform = rng.choice(words.PLATFORMS)
        return self._sighted(report, platform, words.place_text(rng, platform, self.plan.town))

    def _sighted(self, report: Report, platform: str, text: str,
                 like: Account | None = None) -> Sighting | None:
        ref = canonicalise(text, platform)
        if ref is None:
            return None
        key = (ref.platform, ref.canonical_key)
        account = self.by_key.get(key)
        if account is None:
            kind = ref.kind_hint or suggested_kind(report.choices) or "other"
            account = Account(id=self.ctx.sink.new_id("online_account"), platform=ref.platform,
                              key=ref.canonical_key, display=ref.display, url=ref.url,
                              kind=kind, first_seen=report.at, last_seen=report.at)
            self.by_key[key] = account
            self.recent.append(account)
            if len(self.recent) > RECENT_ENTRIES:
                self.recent.pop(0)
            if like is not None and like.key != account.key:
                self.lookalikes.append((account, like))
        return Sighting(account, platform, text)
