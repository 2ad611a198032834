"""A made-up pupil list for the demo school, in the shape a management information system
exports (UPN, Legal Forename, Legal Surname, Preferred Forename, DOB, Year, Reg Group,
Family ID), with brothers and sisters sharing a family id.

    python -m devdata.pupil_csv > demo-pupils.csv          # 2,000 pupils
    python -m devdata.pupil_csv --pupils 1500 --seed 7     # another school's list

The names the demo story uses are always in it: Maisie Adebayo-Clarke (known as Mai) and her
brother Kwame, and Tobias Lindqvist-Ward. Every other name is drawn at random.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from collections.abc import Iterator
from datetime import date

HEADINGS = ("UPN", "Legal Forename", "Legal Surname", "Preferred Forename", "Other Names",
            "DOB", "Year", "Reg Group", "Family ID")
FIRST = ("Amara", "Oliver", "Zoë", "Noah", "Aisha", "Leo", "Isla", "Mohammed", "Freya", "Arjun",
         "Chloé", "Jack", "Priya", "Theo", "Ava", "Kofi", "Nia", "Oscar", "Hana", "Ethan",
         "Lily", "Yusuf", "Sofia", "Finn", "Maya", "Reuben", "Ellie", "Ibrahim", "Grace",
         "Dylan", "Siobhán", "Kai", "Ruby", "Tomasz", "Evie", "Jayden", "Layla", "Harvey",
         "Anaya", "Samuel", "Orla", "Bilal", "Poppy", "Mateusz", "Jasmine", "Callum", "Inès",
         "Rhys", "Fatima", "George", "Maisie", "Tobias", "Mia", "Aaron", "Niamh", "Dawit")
LAST = ("Smith", "Jones", "Khan", "Williams", "Patel", "Brown", "Taylor", "Nowak", "Okafor",
        "Davies", "Evans", "Hussain", "Wilson", "Thomas", "Roberts", "Ahmed", "Walker",
        "O'Brien", "Wright", "Murphy", "Begum", "Mensah", "Kowalski", "Hughes", "Edwards",
        "Green", "Hall", "Lewis", "Ali", "Clarke", "Hernández", "Nguyen", "Osei", "Byrne",
        "Jackson", "Wood", "Fitzgerald", "Chowdhury", "Müller", "Campbell", "Santos")
NICKNAMES = {"Samuel": "Sam", "Mohammed": "Mo", "Oliver": "Ollie", "Jasmine": "Jas",
             "Callum": "Cal", "Tomasz": "Tom", "Ibrahim": "Ibby", "Mateusz": "Matt"}
YEARS = tuple(range(7, 14))  # Year 7 (age 11-12) to Year 13
STORY = (
    ("Maisie", "Adebayo-Clarke", "Mai", "", 8, "FAM-0001"),
    ("Kwame", "Adebayo-Clarke", "", "", 10, "FAM-0001"),
    ("Tobias", "Lindqvist-Ward", "", "Toby", 8, "FAM-0002"),
)


def _born(year: int, rng: random.Random, today: date) -> date:
    # Year 7 starts the September after a child turns 11.
    school_year_start = today.year if today.month >= 9 else today.year - 1
    first_day = date(school_year_start - year - 5, 9, 1)
    return date.fromordinal(first_day.toordinal() + rng.randrange(365))


def _surname(rng: random.Random) -> str:
    if rng.random() < 0.08:
        return f"{rng.choice(LAST)}-{rng.choice(LAST)}"
    return rng.choice(LAST)


def rows(pupils: int = 2000, seed: int = 1, today: date | None = None,
         prefix: str = "A") -> Iterator[tuple[str, ...]]:
    """The pupils as export rows, the story's first; the same seed gives the same list."""
    rng = random.Random(seed)  # noqa: S311 - made-up data, repeatable on purpose
    today = today or date.today()
    made = 0
    for number, (first, last, preferred, other, year, family) in enumerate(STORY, start=1):
        yield (f"{prefix}{number:012d}", first, last, preferred, other,
               _born(year, rng, today).strftime("%d/%m/%Y"), f"Year {year}",
               f"{year}{rng.choice('ABCDE')}", family)
        made += 1
    family_number = 10
    while made < pupils:
        family_number += 1
        last = _surname(rng)
        for _ in range(min(pupils - made, 2 if rng.random() < 0.25 else 1)):
            first = rng.choice(FIRST)
            year = rng.choice(YEARS)
            made += 1
            yield (f"{prefix}{made:012d}", first, last, NICKNAMES.get(first, ""), "",
                   _born(year, rng, today).strftime("%d/%m/%Y"), f"Year {year}",
                   f"{year}{rng.choice('ABCDE')}", f"FAM-{family_number:04d}")


def main(argv: list[str] | None = None) -> None:
    """Write the CSV to standard output."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    writer = csv.writer(sys.stdout)
    writer.writerow(HEADINGS)
    writer.writerows(rows(args.pupils, args.seed))


if __name__ == "__main__":
    main()
