"""Participant lists from .xlsx or .csv: parse, check row by row, then import on confirmation."""

import csv
import io
from dataclasses import dataclass, field

import pycountry
import sqlalchemy as sa
from openpyxl import Workbook

from registry.blueprints.reference.models import Agency, Country
from registry.blueprints.training import services
from registry.blueprints.training.models import (
    ROLE_TYPES,
    SEXES,
    Participation,
    Practitioner,
    name_key,
)
from registry.core.errors import ValidationFailed
from registry.core.spreadsheet import read_table
from registry.extensions import db

COLUMNS = ("name", "sex", "agency", "role", "country", "pre", "post")
HEADER_ALIASES = {
    "name": "name",
    "full name": "name",
    "participant": "name",
    "sex": "sex",
    "gender": "sex",
    "agency": "agency",
    "organisation": "agency",
    "organization": "agency",
    "role": "role",
    "role type": "role",
    "position": "role",
    "country": "country",
    "pre": "pre",
    "pre-test": "pre",
    "pre test": "pre",
    "pretest": "pre",
    "pre score": "pre",
    "post": "post",
    "post-test": "post",
    "post test": "post",
    "posttest": "post",
    "post score": "post",
}
SEX_ALIASES = {
    "f": "female",
    "female": "female",
    "woman": "female",
    "m": "male",
    "male": "male",
    "man": "male",
    "other": "other_or_unknown",
    "unknown": "other_or_unknown",
    "x": "other_or_unknown",
    "": "other_or_unknown",
}
ROLE_ALIASES = (
    {label.casefold(): code for code, label in ROLE_TYPES.items()}
    | {c: c for c in ROLE_TYPES}
    | {
        "police officer": "police",
        "diplomat": "diplomatic_consular",
        "consular officer": "diplomatic_consular",
        "labour inspector": "labour_inspector",
        "social worker": "social_worker",
        "public prosecutor": "prosecutor",
    }
)
MAX_ROWS = 5_000


@dataclass
class Row:
    line: int
    raw: dict
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)  # (field, message)
    action: str = ""  # for a valid row: "new" participant, "updated" scores or "unchanged"

    @property
    def ok(self):
        return not self.errors


def template(kind):
    """A blank participant list with the expected columns and one example row."""
    example = [
        "សុខ ចាន់ធី",
        "female",
        # An agency of the demo data (the English name of Cambodia's counter-trafficking unit).
        "Anti-Human Trafficking and Juvenile Protection Department",
        "investigator",
        "KHM",
        "45",
        "70",
    ]
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        writer.writerow(example)
        return buffer.getvalue().encode("utf-8-sig")
    book = Workbook()
    sheet = book.active
    sheet.title = "Participants"
    sheet.append(COLUMNS)
    sheet.append(example)
    notes = book.create_sheet("Columns")
    for line in (
        ("name", "Full name in any script"),
        ("sex", "female, male or other_or_unknown (F/M accepted)"),
        ("agency", "Agency name as listed in the registry for that country (may be empty)"),
        ("role", ", ".join(ROLE_TYPES)),
        ("country", "ISO alpha-3 code (KHM) or name (Cambodia)"),
        ("pre", "Pre-test score 0-100 (may be empty)"),
        ("post", "Post-test score 0-100 (may be empty)"),
    ):
        notes.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parse(filename, content, max_bytes, actor):
    """Check every row as `actor` may add it; nothing is saved here."""
    table = [
        row
        for row in read_table(filename, content, max_bytes)
        if any((c or "").strip() for c in row)
    ]
    if not table:
        raise ValidationFailed("The file is empty.", {"file": ["The file has no rows."]})
    header = [HEADER_ALIASES.get((h or "").strip().casefold()) for h in table[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ValidationFailed(
            "The columns are not the expected ones.",
            {
                "file": [
                    f"Missing columns: {', '.join(missing)}. Expected: {', '.join(COLUMNS)}. Download the template."
                ]
            },
        )
    if len(table) - 1 > MAX_ROWS:
        raise ValidationFailed(
            "Too many rows.", {"file": [f"At most {MAX_ROWS} participants per file."]}
        )
    if len(table) == 1:
        raise ValidationFailed(
            "The file is empty.", {"file": ["The file has a header but no participants."]}
        )
    lookup = _Lookup(actor)
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        raw = {
            name: (cells[i].strip() if i < len(cells) and cells[i] else "")
            for i, name in enumerate(header)
            if name
        }
        rows.append(_check(Row(number, raw), lookup))
    return rows


class _Lookup:
    """Countries and agencies loaded once for the whole file (no query per row)."""

    def __init__(self, actor):
        self.actor = actor
        self.countries = {c.iso3: c.iso3 for c in db.session.scalars(sa.select(Country))}
        for country in db.session.scalars(sa.select(Country)):
            self.countries[country.name.casefold()] = country.iso3
        self.agencies = {
            (a.country_code, a.name.casefold()): a.id for a in db.session.scalars(sa.select(Agency))
        } | {
            (a.country_code, a.name_en.casefold()): a.id
            for a in db.session.scalars(sa.select(Agency))
            if a.name_en
        }

    def country(self, value):
        key = value.strip()
        if key.upper() in self.countries:
            return key.upper()
        if key.casefold() in self.countries:
            return self.countries[key.casefold()]
        record = pycountry.countries.get(alpha_2=key.upper()) if len(key) == 2 else None
        return record.alpha_3 if record and record.alpha_3 in self.countries else None


def _check(row, lookup):
    raw = row.raw
    if not raw.get("name"):
        row.errors.append(("name", "The name is missing."))
    elif len(raw["name"]) > 200:
        row.errors.append(("name", "The name is longer than 200 characters."))
    sex = SEX_ALIASES.get(raw.get("sex", "").casefold())
    if sex is None:
        row.errors.append(("sex", f"“{raw['sex']}” is not a sex: use {', '.join(SEXES)}."))
    role = ROLE_ALIASES.get(raw.get("role", "").casefold())
    if role is None:
        row.errors.append(("role", f"“{raw.get('role', '')}” is not a known role."))
    country = lookup.country(raw.get("country", ""))
    if country is None:
        row.errors.append(
            ("country", f"“{raw.get('country', '')}” is not a country in the registry.")
        )
    if country and not services.can_edit_country(lookup.actor, country):
        # Said before any name is matched, so the file cannot probe another country's people.
        row.errors.append(
            (
                "country",
                f"You can add practitioners of your own country only; {country}'s focal point "
                "or UNODC can add this person.",
            )
        )
        country = None
    agency_id = None
    if raw.get("agency") and country:
        agency_id = lookup.agencies.get((country, raw["agency"].casefold()))
        if agency_id is None:
            row.errors.append(
                (
                    "agency",
                    f"No agency “{raw['agency']}” in {country}; add it first or leave it empty.",
                )
            )
    scores = {}
    for column, target in (("pre", "pre_score"), ("post", "post_score")):
        value = raw.get(column, "")
        if value == "":
            scores[target] = None
            continue
        try:
            number = float(value)
        except ValueError:
            row.errors.append((column, f"“{value}” is not a score."))
            continue
        if not number.is_integer() or not 0 <= number <= 100:
            row.errors.append((column, f"{value} is not a whole score from 0 to 100."))
        scores[target] = int(number)
    row.values = {
        "name": raw.get("name", ""),
        "sex": sex,
        "role_type": role,
        "country": country,
        "agency_id": agency_id,
        **scores,
    }
    return row


def _key(row):
    return (name_key(row.values["name"]), row.values["country"], row.values["agency_id"])


def _matches(training, valid):
    """The practitioners the valid rows name, by key, and the training's participations by
    practitioner."""
    keys = {_key(r) for r in valid}
    existing = {}
    if keys:
        candidates = db.session.scalars(
            sa.select(Practitioner).where(Practitioner.name_key.in_({k[0] for k in keys}))
        ).all()
        existing = {(p.name_key, p.country, p.agency_id): p for p in candidates}
    attending = {
        p.practitioner_id: p
        for p in db.session.scalars(
            sa.select(Participation).where(Participation.training_id == training.id)
        )
    }
    return existing, attending


def _scores(row):
    return {
        "pre_score": row.values["pre_score"],
        "post_score": row.values["post_score"],
        "completed": row.values["post_score"] is not None,
    }


def _same(participation, scores):
    return all(getattr(participation, k) == v for k, v in scores.items())


def mark_actions(training, rows):
    """Say for each valid row what importing it would do: a new participant, a participant
    already in the training whose scores change ("updated"), or one that stays "unchanged"."""
    valid = [row for row in rows if row.ok]
    existing, attending = _matches(training, valid)
    seen = set()
    for row in valid:
        practitioner = existing.get(_key(row))
        present = practitioner is not None and practitioner.id in attending
        if present or _key(row) in seen:
            current = attending.get(practitioner.id) if practitioner else None
            row.action = (
                "unchanged" if current is None or _same(current, _scores(row)) else "updated"
            )
        else:
            row.action = "new"
        seen.add(_key(row))
    return rows


def import_rows(actor, training, rows):
    """Save the valid rows: match or create practitioners; a person already in the training
    has their scores updated, never a second participation. Returns (added, updated)."""
    if not services.can_edit_country(actor, training.country):
        raise ValidationFailed(
            "Not imported.",
            {"file": ["You can add participants to trainings of your own country only."]},
        )
    valid = [row for row in rows if row.ok]
    existing, attending = _matches(training, valid)
    added = updated = 0
    for row in valid:
        key = _key(row)
        practitioner = existing.get(key)
        if practitioner is None:
            practitioner, _dups = services.create_practitioner(
                actor,
                {k: row.values[k] for k in ("name", "sex", "country", "agency_id", "role_type")},
            )
            existing[key] = practitioner
        scores = _scores(row)
        current = attending.get(practitioner.id)
        if current is not None:
            if not _same(current, scores):
                services.update_participation(
                    actor, current, scores, current.version, "participant list uploaded again"
                )
                updated += 1
            continue
        attending[practitioner.id] = services.add_participation(
            actor, training, practitioner, scores
        )
        added += 1
    return added, updated
