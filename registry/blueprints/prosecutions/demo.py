"""Synthetic prosecution cases and reported statistics at regional volumes (labelled demo data)."""

from datetime import date, timedelta

import sqlalchemy as sa

from registry.blueprints.prosecutions.models import (
    AnnualStatistic,
    CaseExploitation,
    CaseStage,
    CaseVictimCount,
    Defendant,
    ProsecutionCase,
)
from registry.core import audit
from registry.extensions import db

# Cases opened a year per country at `small`: tens to low hundreds (DOMAIN.md §4).
YEARLY = {
    "THA": 150,
    "PHL": 120,
    "VNM": 100,
    "IDN": 80,
    "MYS": 60,
    "KHM": 50,
    "MMR": 40,
    "LAO": 20,
    "SGP": 8,
    "BRN": 3,
    "TLS": 2,
}
YEARS = range(2021, 2027)
DIP_2021 = 0.7  # prosecutions dropped sharply in 2020-2021
LARGE_CASES = 200_000
BATCH = 5_000
VICTIM_ORIGINS = {
    "THA": ["MMR", "LAO", "KHM", "THA"],
    "MYS": ["IDN", "PHL", "VNM", "MMR"],
    "KHM": ["KHM", "IDN", "MYS", "THA"],
}
FORMS = (
    ["forced_labour"] * 4
    + ["sexual_exploitation"] * 4
    + ["forced_criminality"] * 3
    + ["domestic_servitude", "forced_marriage", "begging"]
)
SOURCES = ("National police annual report", "Office of the Attorney General statistics")


def seed(rng, scale):
    """Add the demo cases and statistics once; return how many were added."""
    if db.session.scalar(sa.select(sa.func.count(ProsecutionCase.id))):
        return {"prosecution cases": 0}
    today = date.today()
    plan = [
        (c, y)
        for y in YEARS
        for c, n in YEARLY.items()
        for _ in range(int(n * (DIP_2021 if y == 2021 else 1)))
    ]
    if scale == "large":
        plan = [rng.choice(plan) for _ in range(LARGE_CASES)]
    total = 0
    for start in range(0, len(plan), BATCH):
        total += _batch(rng, plan[start : start + BATCH], today, start)
    _statistics(rng)
    audit.record(audit.SYSTEM, "create", "ProsecutionCase", details={"synthetic_demo_rows": total})
    db.session.flush()
    return {"prosecution cases": total}


def _batch(rng, plan, today, offset):
    cases, extras = [], []
    for n, (country, year) in enumerate(plan, start=offset + 1):
        opened = min(today, date(year, 1, 1) + timedelta(days=rng.randint(0, 364)))
        stages = [("investigation", opened)]
        when = opened
        for stage, gap in (("prosecution", 90), ("trial", 120), ("verdict", 200), ("appeal", 150)):
            when = when + timedelta(days=rng.randint(gap // 2, gap * 2))
            if when > today or rng.random() < 0.12:
                break
            stages.append((stage, when))
        if (
            stages[-1][0] in ("verdict", "appeal")
            and rng.random() < 0.5
            and when + timedelta(days=60) <= today
        ):
            stages.append(("closed", when + timedelta(days=60)))
        dates = dict(stages)
        cases.append(
            {
                "country": country,
                "reference": f"{country}-{year}-{n:06d}",
                "crime_type": "thb" if rng.random() < 0.8 else "som",
                "stage": stages[-1][0],
                "investigation_started": opened,
                "prosecution_started": dates.get("prosecution"),
                "verdict_date": dates.get("verdict"),
                "transnational": rng.random() < 0.6,
                "cyber_enabled": rng.random() < 0.25,
                "corruption_link": rng.random() < 0.05,
                "non_punishment_applied": rng.random() < 0.1,
                "notes": "Synthetic demo record.",
                "sector": rng.choice(
                    [
                        "",
                        "fishing",
                        "construction",
                        "scam compound",
                        "entertainment",
                        "domestic work",
                    ]
                ),
            }
        )
        extras.append((stages, rng.randint(1, 3), country))
    table = ProsecutionCase.__table__
    ids = db.session.scalars(
        sa.insert(table).returning(table.c.id, sort_by_parameter_order=True), cases
    ).all()
    stage_rows, defendants, victims, forms = [], [], [], []
    for case_id, case, (stages, n_defendants, country) in zip(ids, cases, extras, strict=True):
        stage_rows.extend({"case_id": case_id, "stage": s, "date": d} for s, d in stages)
        forms.append({"case_id": case_id, "form": rng.choice(FORMS)})
        for _ in range(n_defendants):
            convicted = case["verdict_date"] is not None and rng.random() < 0.75
            defendants.append(
                {
                    "case_id": case_id,
                    "sex": "female" if rng.random() < 0.3 else "male",
                    "nationality": country,
                    "outcome": "convicted"
                    if convicted
                    else ("acquitted" if case["verdict_date"] else "pending"),
                    "sentence_months": rng.choice([24, 36, 48, 60, 72, 96, 120, 180])
                    if convicted
                    else None,
                }
            )
        seen = set()
        for _ in range(rng.randint(1, 3)):
            key = (
                rng.choice(["female", "male"]),
                "child" if rng.random() < 0.25 else "adult",
                rng.choice(VICTIM_ORIGINS.get(country, [country])),
            )
            if key not in seen:
                seen.add(key)
                victims.append(
                    {
                        "case_id": case_id,
                        "sex": key[0],
                        "age_group": key[1],
                        "nationality": key[2],
                        "count": rng.randint(1, 12),
                    }
                )
    for model, rows in (
        (CaseStage, stage_rows),
        (Defendant, defendants),
        (CaseVictimCount, victims),
        (CaseExploitation, forms),
    ):
        db.session.execute(sa.insert(model.__table__), rows)
    return len(ids)


def _statistics(rng):
    rows = []
    for country in ("THA", "KHM", "MYS", "IDN", "VNM"):
        for year in range(2021, 2026):
            for metric, base in (
                ("persons_prosecuted", YEARLY[country] * 1.8),
                ("persons_convicted", YEARLY[country] * 1.1),
                ("victims_identified", YEARLY[country] * 6),
            ):
                first = int(base * rng.uniform(0.85, 1.15) * (DIP_2021 if year == 2021 else 1))
                female = (
                    int(first * rng.uniform(0.2, 0.35))
                    if metric != "victims_identified"
                    else int(first * 0.6)
                )
                rows.append(
                    {
                        "country": country,
                        "year": year,
                        "metric": metric,
                        "source": SOURCES[0],
                        "total": first,
                        "female": female,
                        "male": first - female,
                    }
                )
                if rng.random() < 0.4:
                    rows.append(
                        {
                            "country": country,
                            "year": year,
                            "metric": metric,
                            "source": SOURCES[1],
                            "total": int(first * rng.uniform(0.9, 1.1)),
                            "female": None,
                            "male": None,
                        }
                    )
    db.session.execute(sa.insert(AnnualStatistic.__table__), rows)
