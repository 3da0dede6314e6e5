"""Synthetic agencies for the demo: every type in every ASEAN member, some in local script."""

import sqlalchemy as sa

from registry.blueprints.reference.data import ASEAN_MEMBERS
from registry.blueprints.reference.models import AGENCY_TYPES, Agency
from registry.extensions import db

# Names in national scripts (with an English gloss) for a few agencies per country.
LOCAL_NAMES = {
    ("THA", "ctu"): (
        "กองบังคับการปราบปรามการกระทำความผิดเกี่ยวกับการค้ามนุษย์",
        "Anti-Trafficking in Persons Division, Royal Thai Police",
    ),
    ("THA", "prosecution"): ("สำนักงานอัยการสูงสุด", "Office of the Attorney General"),
    ("KHM", "ctu"): (
        "នាយកដ្ឋានប្រឆាំងការជួញដូរមនុស្ស និងការពារអនីតិជន",
        "Anti-Human Trafficking and Juvenile Protection Department",
    ),
    ("KHM", "court"): ("សាលាដំបូងរាជធានីភ្នំពេញ", "Phnom Penh Court of First Instance"),
    ("LAO", "ctu"): ("ກົມຕ້ານການຄ້າມະນຸດ", "Anti-Human Trafficking Department"),
    ("LAO", "prosecution"): ("ອົງການໄອຍະການປະຊາຊົນສູງສຸດ", "Office of the Supreme People's Prosecutor"),
    ("MMR", "ctu"): ("လူကုန်ကူးမှုတိုက်ဖျက်ရေးဌာနခွဲ", "Anti-Trafficking in Persons Division"),
    ("VNM", "police"): (
        "Cục Cảnh sát hình sự, Bộ Công an",
        "Criminal Police Department, Ministry of Public Security",
    ),
    ("VNM", "prosecution"): ("Viện kiểm sát nhân dân tối cao", "Supreme People's Procuracy"),
    ("IDN", "ctu"): (
        "Satgas Tindak Pidana Perdagangan Orang, Bareskrim Polri",
        "TIP Task Force, National Police",
    ),
    ("MYS", "ctu"): (
        "Bahagian Anti Pemerdagangan Orang, Polis Diraja Malaysia",
        "Anti-Trafficking in Persons Division, Royal Malaysia Police",
    ),
    ("PHL", "ctu"): ("Inter-Agency Council Against Trafficking", ""),
}

GENERIC = {
    "ctu": "{c} Counter-Trafficking Unit",
    "police": "{c} National Police, Transnational Crime Unit",
    "prosecution": "{c} Office of the Prosecutor-General",
    "court": "{c} Criminal Court",
    "central_authority": "{c} Central Authority for Mutual Legal Assistance",
    "immigration": "{c} Immigration Department",
    "labour_inspection": "{c} Labour Inspectorate",
    "embassy_consulate": "Embassy of {c} in Bangkok",
    "financial_intelligence": "{c} Financial Intelligence Unit",
    "cybercrime": "{c} Cybercrime Investigation Bureau",
    "legal_aid": "{c} Legal Aid Foundation",
    "other": "{c} Department of Social Welfare",
}


def seed_agencies():
    """Add the demo agencies that are missing; return how many were added."""
    existing = set(db.session.execute(sa.select(Agency.country_code, Agency.type)))
    added = 0
    for iso3, country_name in ASEAN_MEMBERS.items():
        for kind in AGENCY_TYPES:
            if (iso3, kind) in existing:
                continue
            name, name_en = LOCAL_NAMES.get(
                (iso3, kind), (GENERIC[kind].format(c=country_name), "")
            )
            db.session.add(Agency(country_code=iso3, type=kind, name=name, name_en=name_en))
            added += 1
    db.session.flush()
    return added
