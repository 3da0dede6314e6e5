"""Synthetic directory entries for every ASEAN member (labelled demo data).

The authorities' names follow the usual structure (a ministry of justice, an attorney-general's
office, a supreme procuracy), but every address and contact is made up (example.gov.* domains).
"""

import sqlalchemy as sa

from registry.blueprints.directory.models import Authority, Requirement
from registry.core import audit
from registry.extensions import db

# iso3: (name in the local script, name in English, languages, internet country code)
CENTRAL = {
    "BRN": ("Jabatan Peguam Negara", "Attorney General's Chambers", "ms,en", "bn"),
    "KHM": ("ក្រសួងយុត្តិធម៌", "Ministry of Justice", "km,en", "kh"),
    "IDN": ("Kementerian Hukum", "Ministry of Law", "id,en", "id"),
    "LAO": ("ສຳນັກງານໄອຍະການປະຊາຊົນສູງສຸດ", "Office of the Supreme People's Prosecutor", "lo,en", "la"),
    "MYS": ("Jabatan Peguam Negara Malaysia", "Attorney General's Chambers", "ms,en", "my"),
    "MMR": ("ပြည်ထောင်စုရှေ့နေချုပ်ရုံး", "Union Attorney General's Office", "my,en", "mm"),
    "PHL": ("Kagawaran ng Katarungan", "Department of Justice", "en,fil", "ph"),
    "SGP": ("Attorney-General's Chambers", "Attorney-General's Chambers", "en", "sg"),
    "THA": ("สำนักงานอัยการสูงสุด", "Office of the Attorney General", "th,en", "th"),
    "TLS": (
        "Procuradoria-Geral da República",
        "Office of the Prosecutor-General",
        "pt,tet,en",
        "tl",
    ),
    "VNM": ("Viện kiểm sát nhân dân tối cao", "Supreme People's Procuracy", "vi,en", "vn"),
}
# A second, competent authority for police-to-police requests in the priority countries.
POLICE = {
    "KHM": ("ការិយាល័យប្រឆាំងការជួញដូរមនុស្ស", "Anti-Human Trafficking Police Department"),
    "IDN": (
        "Direktorat Tindak Pidana PPA dan PPO",
        "Women, Children and Trafficking Crimes Directorate",
    ),
    "MYS": ("Bahagian Anti Pemerdagangan Orang", "Anti-Trafficking in Persons Division"),
    "THA": ("กองบังคับการปราบปรามการค้ามนุษย์", "Anti-Trafficking in Persons Division"),
}
LANGUAGE_NAMES = {
    "ms": "Malay",
    "km": "Khmer",
    "id": "Indonesian",
    "lo": "Lao",
    "my": "Burmese",
    "th": "Thai",
    "vi": "Vietnamese",
    "pt": "Portuguese",
    "en": "English",
}
REQUIREMENTS = {
    "bank_records": (
        "The account holders and account numbers; the bank and branch; the period of the records "
        "wanted; how the accounts are linked to the offence; an undertaking that the records "
        "serve the criminal proceedings named only.",
        (30, 60, 90, 120),
    ),
    "witness_statement": (
        "The witness's name and last known address; the questions to ask, in order; whether the "
        "requesting side wishes to attend or to hear the witness by video link; the caution "
        "the witness must be given under the requesting country's law.",
        (45, 60, 90),
    ),
    "evidence": (
        "A summary of the facts and the offences with the text of the provisions; the evidence "
        "wanted and why it matters to the case; the form of certification needed for it to be "
        "admissible in the requesting country.",
        (60, 90, 120, 180),
    ),
    "digital_evidence": (
        "The service provider, account identifiers and the period; a preservation reference if "
        "data were preserved; the link to the offence; the format in which the data is wanted.",
        (30, 45, 60),
    ),
    "asset_freezing": (
        "The assets (description, location, registered owner); the order of the requesting "
        "court, certified; the link between the assets and the offence; an undertaking on costs "
        "and on damages if the order is set aside.",
        (20, 30, 45),
    ),
}


def seed(rng, scale):
    """Add one entry per ASEAN member once; return how many authorities were added."""
    if db.session.scalar(sa.select(sa.func.count(Authority.id))):
        return {"directory authorities": 0}
    audit.act_as(audit.SYSTEM, "synthetic demo data")
    added = 0
    for iso3, (name, name_en, languages, tld) in CENTRAL.items():
        first = languages.split(",")[0]
        db.session.add(
            Authority(
                country_code=iso3,
                role="central_authority",
                name=name,
                name_en=name_en,
                address=f"{rng.randint(1, 200)} Example Avenue, Capital City (synthetic address)",
                channel="central_authority",
                languages=languages,
                contact=f"ca@example.gov.{tld}\n+00 {rng.randint(1000, 9999)} 0000 (synthetic)",
                notes="Send the original through the central authority; an advance copy by "
                "e-mail is accepted for urgent requests.",
            )
        )
        added += 1
        if iso3 in POLICE:
            local, english = POLICE[iso3]
            db.session.add(
                Authority(
                    country_code=iso3,
                    role="competent_authority",
                    name=local,
                    name_en=english,
                    address="Police Headquarters, Capital City (synthetic address)",
                    channel=rng.choice(["direct", "sea_just"]),
                    languages=languages,
                    contact=f"ctu@example.police.{tld} (synthetic)",
                    notes="Police-to-police requests before a formal MLA request.",
                )
            )
            added += 1
        for kind, (text, days) in rng.sample(sorted(REQUIREMENTS.items()), rng.randint(3, 5)):
            db.session.add(
                Requirement(
                    country_code=iso3,
                    assistance_type=kind,
                    must_contain=text,
                    translation="English accepted."
                    if first == "en"
                    else f"Into {LANGUAGE_NAMES[first]}, or English with a certified "
                    f"{LANGUAGE_NAMES[first]} translation to follow.",
                    typical_days=rng.choice(days),
                )
            )
    db.session.flush()
    return {"directory authorities": added}
