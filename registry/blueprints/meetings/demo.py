"""Synthetic meetings with action items (labelled demo data)."""

from datetime import date, timedelta

import sqlalchemy as sa

from registry.blueprints.meetings.models import (
    COUNTS_BY_DEFAULT,
    ActionItem,
    Meeting,
    MeetingCountry,
)
from registry.blueprints.reference.data import ASEAN_MEMBERS
from registry.core import audit
from registry.extensions import db

SIZES = {"small": 60, "large": 5_000}
PAIRS = [
    ("KHM", "THA"),
    ("IDN", "MYS"),
    ("LAO", "THA"),
    ("MMR", "THA"),
    ("PHL", "MYS"),
    ("VNM", "MYS"),
    ("IDN", "KHM"),
    ("MYS", "KHM"),
    ("THA", "KHM"),
]
KINDS = (
    ["police_to_police"] * 5
    + ["ctu_heads"] * 2
    + ["regional_dialogue"] * 2
    + ["somtc", "somtc_wg_tip"]
    + ["national_forum"] * 2
)
TITLES = {
    "police_to_police": "Bilateral police meeting {a}–{b} on trafficking cases",
    "ctu_heads": "Meeting of heads of counter-trafficking units",
    "regional_dialogue": "Regional dialogue on online scam trafficking",
    "somtc": "SOMTC annual meeting",
    "somtc_wg_tip": "SOMTC Working Group on Trafficking in Persons",
    "national_forum": "National forum on victim identification, {a}",
}
ACTIONS = [
    "Exchange contact points of specialised units",
    "Share case data on scam compounds",
    "Draft standard operating procedure for joint investigations",
    "Follow up pending MLA requests",
    "Organise joint training on digital evidence",
    "Report progress to SOMTC",
]


def seed(rng, scale):
    """Add the demo meetings once; return how many were added."""
    if db.session.scalar(sa.select(sa.func.count(Meeting.id))):
        return {"meetings": 0}
    today = date.today()
    total = SIZES[scale]
    rows, countries_of = [], []
    for _ in range(total):
        kind = rng.choice(KINDS)
        if kind == "police_to_police":
            countries = list(rng.choice(PAIRS))
        elif kind == "national_forum":
            countries = [rng.choice(list(ASEAN_MEMBERS))]
        else:
            countries = sorted(rng.sample(list(ASEAN_MEMBERS), rng.randint(6, 11)))
        size = rng.randint(8, 30) if len(countries) <= 2 else rng.randint(30, 120)
        women = int(size * rng.uniform(0.25, 0.55))
        rows.append(
            {
                "type": kind,
                "title": TITLES[kind].format(a=countries[0], b=countries[-1]),
                "date": today - timedelta(days=rng.randint(0, 5 * 365)),
                "venue": "Synthetic demo venue",
                "host_country": countries[0],
                "participants_female": women,
                "participants_male": size - women,
                "participants_other": 0,
                "topics": "Synthetic demo record.",
                "counts_toward_2_6_1": kind in COUNTS_BY_DEFAULT,
            }
        )
        countries_of.append(countries)
    table = Meeting.__table__
    ids = db.session.scalars(
        sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    ).all()
    members, items = [], []
    for meeting_id, row, countries in zip(ids, rows, countries_of, strict=True):
        members.extend({"meeting_id": meeting_id, "country_code": c} for c in countries)
        for _ in range(rng.randint(1, 4)):
            due = row["date"] + timedelta(days=rng.randint(30, 240))
            items.append(
                {
                    "meeting_id": meeting_id,
                    "owner_country": rng.choice(countries),
                    "description": rng.choice(ACTIONS),
                    "due_date": due,
                    "status": "open"
                    if due > today - timedelta(days=200) and rng.random() < 0.6
                    else rng.choice(["done", "done", "dropped"]),
                }
            )
    db.session.execute(sa.insert(MeetingCountry.__table__), members)
    db.session.execute(sa.insert(ActionItem.__table__), items)
    audit.record(audit.SYSTEM, "create", "Meeting", details={"synthetic_demo_rows": total})
    db.session.flush()
    return {"meetings": total}
