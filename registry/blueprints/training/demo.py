"""Synthetic trainings, practitioners and test scores (labelled demo data)."""

from datetime import date, timedelta

import sqlalchemy as sa

from registry.blueprints.reference.data import ASEAN_MEMBERS
from registry.blueprints.reference.models import Agency
from registry.blueprints.training.models import (
    ROLE_TYPES,
    TOPICS,
    Participation,
    Practitioner,
    Training,
    TrainingTopic,
    name_key,
)
from registry.core import audit
from registry.extensions import db

SIZES = {"small": (60, 1_500, 2_500), "large": (20_000, 250_000, 1_000_000)}
BATCH = 10_000
# Given and family names per country; some in the national script.
NAMES = {
    "KHM": (
        ["សុខ", "ចាន់", "Sokha", "Dara", "Srey", "Vuthy"],
        ["ចាន់ធី", "សុភា", "Chan", "Kim", "Heng", "Sok"],
    ),
    "THA": (
        ["สมชาย", "มาลี", "Somchai", "Nittaya", "Kittisak"],
        ["ใจดี", "Srisuk", "Boonmee", "Wongsa"],
    ),
    "LAO": (["ສົມພອນ", "Khamla", "Bounmy", "Noy"], ["ວົງສາ", "Phommachanh", "Sisavath"]),
    "MMR": (["အောင်", "Aung", "Thida", "Kyaw"], ["ကျော်", "Win", "Htun", "Myint"]),
    "VNM": (["Nguyễn Thị", "Trần Văn", "Lê Thị", "Phạm Minh"], ["Hương", "Dũng", "Lan", "Tuấn"]),
    "IDN": (["Siti", "Budi", "Dewi", "Agus", "Rina"], ["Rahayu", "Santoso", "Wijaya", "Lestari"]),
    "MYS": (["Nur", "Ahmad", "Siti", "Lim", "Rajesh"], ["Aisyah", "Hakim", "Wei Ling", "Kumar"]),
    "PHL": (["Maria", "Jose", "Ana", "Mark"], ["Santos", "Reyes", "Cruz", "Bautista"]),
    "SGP": (["Wei", "Siti", "Arjun"], ["Tan", "Rahman", "Pillai"]),
    "BRN": (["Hajah", "Awang", "Nurul"], ["Aminah", "Rahman", "Hakim"]),
    "TLS": (["Maria", "João", "Ana"], ["da Silva", "Soares", "Pereira"]),
}
ROLES = list(ROLE_TYPES)
ROLE_WEIGHTS = [30, 15, 15, 8, 4, 8, 8, 4, 4, 2, 2]
TITLES = {
    "detection_investigation": "Victim-centred detection and investigation of trafficking",
    "osint": "Open-source intelligence for trafficking investigations",
    "cryptocurrency_darknet": "Cryptocurrency and darknet investigation",
    "digital_evidence": "Handling digital evidence in trafficking cases",
    "victim_identification": "Victim identification, screening and referral",
    "thb_vs_som": "Trafficking in persons or smuggling of migrants? Telling them apart",
    "non_punishment": "The non-punishment principle for judicial officials",
    "gender_sensitive_prosecution": "Gender-sensitive prosecution of trafficking cases",
    "legal_aid": "Legal aid and compensation for victims",
}


def seed(rng, scale):
    """Add the demo trainings and participants once; return how many were added."""
    if db.session.scalar(sa.select(sa.func.count(Training.id))):
        return {"trainings": 0, "practitioners": 0, "participations": 0}
    n_trainings, n_people, n_participations = SIZES[scale]
    today = date.today()
    agencies = {}
    for agency_id, country in db.session.execute(sa.select(Agency.id, Agency.country_code)):
        agencies.setdefault(country, []).append(agency_id)
    countries = list(ASEAN_MEMBERS)
    trainings, topics_of = [], []
    for _ in range(n_trainings):
        topic = rng.choice(list(TITLES))
        start = today - timedelta(days=rng.randint(0, 5 * 365))
        days = rng.randint(1, 4)
        trainings.append(
            {
                "title": TITLES[topic],
                "activity_code": rng.choice(["2.4.1", "2.4.2", "2.5.1", "2.5.2", "2.5.4"]),
                "country": rng.choice(countries),
                "start_date": start,
                "end_date": start + timedelta(days=days - 1),
                "modality": rng.choices(["in_person", "online", "blended"], [6, 2, 2])[0],
                "hours": days * 7,
                "organiser": "UNODC (synthetic demo)",
            }
        )
        topics_of.append({topic, rng.choice(list(TOPICS))})
    training_ids = _insert(Training, trainings)
    db.session.execute(
        sa.insert(TrainingTopic.__table__),
        [
            {"training_id": tid, "topic": t}
            for tid, topics in zip(training_ids, topics_of, strict=True)
            for t in topics
        ],
    )
    people = []
    for _ in range(n_people):
        country = rng.choice(countries)
        given, family = NAMES[country]
        name = f"{rng.choice(given)} {rng.choice(family)} {rng.randint(1, 999)}"
        people.append(
            {
                "name": name,
                "name_key": name_key(name),
                "sex": rng.choices(["female", "male", "other_or_unknown"], [42, 56, 2])[0],
                "country": country,
                "agency_id": rng.choice(agencies[country]) if rng.random() < 0.85 else None,
                "role_type": rng.choices(ROLES, ROLE_WEIGHTS)[0],
            }
        )
    person_ids = _insert(Practitioner, people)
    by_country = {}
    for pid, person in zip(person_ids, people, strict=True):
        by_country.setdefault(person["country"], []).append(pid)
    seen, rows = set(), []
    while len(rows) < n_participations:
        index = rng.randrange(len(training_ids))
        pool = by_country[trainings[index]["country"]] if rng.random() < 0.9 else person_ids
        pid = rng.choice(pool)
        if (pid, training_ids[index]) in seen:
            continue
        seen.add((pid, training_ids[index]))
        pre = rng.randint(30, 70)
        post = None if rng.random() < 0.05 else min(100, max(0, pre + int(rng.gauss(14, 10))))
        rows.append(
            {
                "practitioner_id": pid,
                "training_id": training_ids[index],
                "pre_score": pre,
                "post_score": post,
                "completed": post is not None,
            }
        )
        if len(rows) % BATCH == 0:
            db.session.execute(sa.insert(Participation.__table__), rows[-BATCH:])
    if len(rows) % BATCH:
        db.session.execute(sa.insert(Participation.__table__), rows[-(len(rows) % BATCH) :])
    for model, n in (
        (Training, n_trainings),
        (Practitioner, n_people),
        (Participation, n_participations),
    ):
        audit.record(audit.SYSTEM, "create", model.__name__, details={"synthetic_demo_rows": n})
    db.session.flush()
    return {"trainings": n_trainings, "practitioners": n_people, "participations": n_participations}


def _insert(model, rows):
    table = model.__table__
    ids = []
    for start in range(0, len(rows), BATCH):
        ids.extend(
            db.session.scalars(
                sa.insert(table).returning(table.c.id, sort_by_parameter_order=True),
                rows[start : start + BATCH],
            ).all()
        )
    return ids
