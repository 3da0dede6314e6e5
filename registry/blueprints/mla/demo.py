"""Synthetic MLA requests along the region's trafficking corridors (labelled demo data)."""

import math
from datetime import date, timedelta

import sqlalchemy as sa

from registry.blueprints.mla.models import MlaAssistance, MlaRequest, MlaStatusChange
from registry.blueprints.reference.models import Agency
from registry.core import audit
from registry.extensions import db

SIZES = {"small": 300, "large": 100_000}
BATCH = 5_000
# (requesting, requested, weight): requests flow both ways along each corridor.
CORRIDORS = [
    ("THA", "KHM", 14),
    ("KHM", "THA", 12),
    ("MYS", "IDN", 12),
    ("IDN", "MYS", 10),
    ("KHM", "IDN", 6),
    ("IDN", "KHM", 7),
    ("KHM", "MYS", 5),
    ("MYS", "KHM", 6),
    ("KHM", "THA", 4),
    ("THA", "LAO", 6),
    ("LAO", "THA", 4),
    ("THA", "MMR", 6),
    ("MMR", "THA", 3),
    ("MYS", "PHL", 4),
    ("PHL", "MYS", 3),
    ("MYS", "VNM", 4),
    ("VNM", "MYS", 3),
    ("SGP", "MMR", 1),
    ("PHL", "KHM", 2),
    ("VNM", "KHM", 3),
]
WEIGHTED_PAIRS = [(a, b) for a, b, w in CORRIDORS for _ in range(w)]
BASES = (
    ["asean_mlat"] * 9
    + ["untoc"] * 4
    + ["bilateral_treaty"] * 3
    + ["reciprocity"] * 2
    + ["actip", "domestic_law"]
)
ASSISTANCE = [
    "evidence",
    "witness_statement",
    "bank_records",
    "digital_evidence",
    "search_seizure",
    "asset_tracing",
    "asset_freezing",
    "service_of_documents",
    "locate_persons",
]
CHANNELS = ["central_authority"] * 6 + ["diplomatic"] * 2 + ["sea_just"] * 2 + ["direct"]
STEPS = ("received", "acknowledged", "in_execution")
NOTE = "Synthetic demo record."


def seed(rng, scale):
    """Add the demo MLA requests once; return how many were added."""
    if db.session.scalar(sa.select(sa.func.count(MlaRequest.id))):
        return {"MLA requests": 0}
    today = date.today()
    authorities = dict(
        db.session.execute(
            sa.select(Agency.country_code, sa.func.min(Agency.id))
            .where(Agency.type == "central_authority")
            .group_by(Agency.country_code)
        ).all()
    )
    total = SIZES[scale]
    for start in range(0, total, BATCH):
        _insert_batch(
            rng,
            [_fake(rng, n, today, authorities) for n in range(start, min(total, start + BATCH))],
        )
    audit.record(audit.SYSTEM, "create", "MlaRequest", details={"synthetic_demo_rows": total})
    db.session.flush()
    return {"MLA requests": total}


def _fake(rng, n, today, authorities):
    requesting, requested = rng.choice(WEIGHTED_PAIRS)
    sent = today - timedelta(days=rng.randint(0, 4 * 365)) if rng.random() > 0.03 else None
    row = {
        "reference": f"{requesting[:2]}-MLA-{(sent or today).year}-{n + 1:06d}",
        "requesting_country": requesting,
        "requested_country": requested,
        "requesting_authority_id": authorities.get(requesting),
        "requested_authority_id": authorities.get(requested),
        "crime_type": rng.choices(["thb", "som", "related"], [70, 20, 10])[0],
        "legal_basis": rng.choice(BASES),
        "channel": rng.choice(CHANNELS),
        "urgency": "urgent" if rng.random() < 0.15 else "routine",
        "summary": NOTE,
    }
    history = _history(rng, sent, today)
    row.update(
        status=history[-1][0],
        date_sent=sent,
        final_date=history[-1][1]
        if history[-1][0] in ("executed", "partially_executed", "refused")
        else None,
    )
    types = rng.sample(ASSISTANCE, rng.choice([1, 1, 2, 2, 3]))
    return row, history, types


def _history(rng, sent, today):
    """A plausible dated lifecycle: turnaround is log-normal around 110 days."""
    if sent is None:
        return [("draft", today - timedelta(days=rng.randint(0, 20)))]
    turnaround = max(5, int(rng.lognormvariate(math.log(110), 0.65)))
    answered = sent + timedelta(days=turnaround)
    history = [("sent", sent)]
    for fraction, step in zip((0.1, 0.2, 0.4), STEPS, strict=True):
        when = sent + timedelta(days=int(turnaround * fraction))
        if when > today:
            return history
        if step != "acknowledged" or rng.random() < 0.7:
            history.append((step, when))
    if answered > today:
        return history
    final = rng.choices(
        ["executed", "partially_executed", "refused", "withdrawn", "lapsed"], [68, 15, 10, 4, 3]
    )[0]
    history.append((final, answered))
    return history


def _insert_batch(rng, fakes):
    table = MlaRequest.__table__
    ids = db.session.scalars(
        sa.insert(table).returning(table.c.id, sort_by_parameter_order=True),
        [row for row, _h, _t in fakes],
    ).all()
    db.session.execute(
        sa.insert(MlaStatusChange.__table__),
        [
            {
                "mla_request_id": req_id,
                "status": status,
                "date": on,
                "note": "",
                "ground": rng.choice(["dual_criminality", "insufficient_information", "other"])
                if status == "refused"
                else None,
            }
            for req_id, (_row, history, _types) in zip(ids, fakes, strict=True)
            for status, on in history
        ],
    )
    db.session.execute(
        sa.insert(MlaAssistance.__table__),
        [
            {"mla_request_id": req_id, "type": kind}
            for req_id, (_row, _history, types) in zip(ids, fakes, strict=True)
            for kind in types
        ],
    )
