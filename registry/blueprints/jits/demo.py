"""Synthetic joint investigation teams along the region's corridors (labelled demo data)."""

from datetime import date, timedelta

import sqlalchemy as sa

from registry.blueprints.jits.models import Jit, JitExtension, JitMember
from registry.core import audit
from registry.extensions import db

SIZES = {"small": 25, "large": 2_000}
TEAMS = [
    ("KHM", "THA"),
    ("IDN", "MYS"),
    ("IDN", "KHM"),
    ("MYS", "KHM"),
    ("THA", "KHM"),
    ("LAO", "THA"),
    ("MMR", "THA"),
    ("PHL", "MYS"),
    ("VNM", "MYS"),
    ("KHM", "THA", "LAO"),
    ("IDN", "MYS", "KHM"),
    ("THA", "MMR", "LAO"),
]
THEMES = [
    "online scam compound",
    "forced labour in fishing",
    "sexual exploitation network",
    "recruitment agency fraud",
    "forced criminality ring",
    "migrant smuggling route",
]


def seed(rng, scale):
    """Add the demo teams once; return how many were added."""
    if db.session.scalar(sa.select(sa.func.count(Jit.id))):
        return {"JITs": 0}
    today = date.today()
    total = SIZES[scale]
    teams, team_countries, members, extensions = [], [], [], []
    for n in range(total):
        countries = rng.choice(TEAMS)
        team_countries.append(countries)
        signed = today - timedelta(days=rng.randint(0, 5 * 365)) if rng.random() > 0.15 else None
        status = _status(rng, signed, today)
        planned_end = signed + timedelta(days=rng.choice([365, 540, 730])) if signed else None
        teams.append(
            {
                "name": f"Operation {rng.choice(THEMES).title()} {n + 1:04d}",
                "type": rng.choices(["law_enforcement", "judicial", "mixed"], [5, 2, 3])[0],
                "lead_country": countries[0],
                "legal_basis": rng.choice(["asean_mlat", "actip", "untoc", "bilateral_treaty"]),
                "status": status,
                "agreement_signed": signed,
                "planned_end": planned_end,
                "actual_end": min(today, planned_end)
                if status == "concluded" and planned_end
                else None,
                "arrests": rng.randint(0, 25) if signed else 0,
                "victims_female_adult": rng.randint(0, 30) if signed else 0,
                "victims_female_child": rng.randint(0, 6) if signed else 0,
                "victims_male_adult": rng.randint(0, 40) if signed else 0,
                "victims_male_child": rng.randint(0, 4) if signed else 0,
                "prosecutions_opened": rng.randint(0, 6) if signed else 0,
                "results_achieved": "Synthetic demo record.",
            }
        )
    table = Jit.__table__
    ids = db.session.scalars(
        sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), teams
    ).all()
    for jit_id, team, countries in zip(ids, teams, team_countries, strict=True):
        members.extend({"jit_id": jit_id, "country_code": c} for c in countries)
        if (
            team["planned_end"]
            and team["status"] in ("active", "concluded")
            and rng.random() < 0.25
        ):
            extensions.append(
                {
                    "jit_id": jit_id,
                    "date": team["planned_end"] - timedelta(days=30),
                    "new_end": team["planned_end"] + timedelta(days=180),
                    "note": "Synthetic demo record.",
                }
            )
    db.session.execute(sa.insert(JitMember.__table__), members)
    if extensions:
        db.session.execute(sa.insert(JitExtension.__table__), extensions)
    audit.record(audit.SYSTEM, "create", "Jit", details={"synthetic_demo_rows": total})
    db.session.flush()
    return {"JITs": total}


def _status(rng, signed, today):
    if signed is None:
        return rng.choice(["proposed", "agreement_drafting"])
    age = (today - signed).days
    if age > 730:
        return rng.choices(["concluded", "suspended"], [9, 1])[0]
    return rng.choices(["established", "active", "suspended"], [2, 7, 1])[0]
