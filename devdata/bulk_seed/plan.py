"""The shapes generated data passes through before it becomes rows, and the sizes asked for."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from devdata.bulk_seed.sink import Sink
from schoolsafe.services.jurisdictions.packs import Jurisdiction


@dataclass(frozen=True)
class Volumes:
    """How much to make. The defaults are a local authority over ten years."""

    schools: int = 300
    reports: int = 1_000_000
    years: int = 10
    schools_per_trust: int = 10
    # One case per school gets this many chronology entries, for the case page benchmark.
    long_case_entries: int = 200
    seed: int = 1


@dataclass
class Context:
    """What every generator step shares: where rows go, the random source and the clock."""

    sink: Sink
    rng: random.Random
    now: datetime
    pack: Jurisdiction
    password_hash: str
    volumes: Volumes


@dataclass
class SchoolPlan:
    """One school being generated: its ids, town, staff and how many reports it gets."""

    id: int
    number: int
    slug: str
    town: str
    trust_id: int
    reports: int
    dsls: list[int] = field(default_factory=list)
    staff: list[int] = field(default_factory=list)


@dataclass
class Account:
    """A register entry while its school is generated."""

    id: int
    platform: str
    key: str
    display: str
    url: str | None
    kind: str
    first_seen: datetime
    last_seen: datetime
    public_id: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    report_count: int = 0
    status: str = "active"
    removed_at: datetime | None = None
    alias_group_id: int | None = None


@dataclass
class Sighting:
    """A place named in a report, as typed, and the entry it became."""

    account: Account
    platform: str
    text: str


@dataclass
class Report:
    """A generated report, before it is written."""

    id: int
    at: datetime
    choices: list[str]
    factors: list[str]
    categories: list[str]
    urgency: str
    reasons: list[str]
    source: str
    logged_by: int | None
    public_id: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    sightings: list[Sighting] = field(default_factory=list)
    case: Case | None = None
    messages: int = 0       # replies and pupil messages in its thread
    escalations: int = 0    # alerts sent up the ladder before someone acknowledged it


@dataclass
class Case:
    """A generated case and the reports that feed it."""

    id: int
    reference: str
    opened_at: datetime
    opened_by: int
    assigned_to: int
    reports: list[Report] = field(default_factory=list)
    public_id: str = field(default_factory=lambda: secrets.token_urlsafe(12))
    # Extra chronology notes to reach the long-case size (0 for ordinary cases).
    padding: int = 0
