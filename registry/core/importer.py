"""Bulk import: every row goes through the same services as the pages, inside its own
savepoint, so a dry run and a real run report exactly the same row errors."""

from dataclasses import dataclass, field

from registry.core.errors import DomainError, ValidationFailed
from registry.extensions import db


@dataclass
class RowResult:
    line: int
    key: str
    action: str  # created, updated, unchanged or refused
    errors: list = field(default_factory=list)  # (field, message)


@dataclass
class Report:
    rows: list
    saved: bool

    def count(self, action):
        return sum(1 for r in self.rows if r.action == action)

    @property
    def refused(self):
        return [r for r in self.rows if r.action == "refused"]


class Importer:
    """One record type. Subclasses give `columns` (name -> help), `required`, `key(values)`
    (the reference that identifies the record) and `apply(actor, values)`, which creates or
    updates the record through the domain's services and returns "created", "updated" or
    "unchanged"."""

    kind = ""
    label = ""
    object_type = ""
    columns: dict = {}
    required: tuple = ()


def parse_day(values, name, errors):
    """A YYYY-MM-DD cell, or None when empty; a bad one is reported under its column."""
    from datetime import date

    text = values.get(name) or ""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        errors.setdefault(name, []).append(f"“{text}” is not a date (YYYY-MM-DD).")
        return None


def normalise_header(cells):
    return [(c or "").strip().lower().replace(" ", "_") for c in cells]


def run(actor, importer, table, save=False, all_or_nothing=False):
    """Apply every row; keep the changes only when saving (and, if asked, only if no row failed)."""
    table = [row for row in table if any((c or "").strip() for c in row)]
    if len(table) < 2:
        raise ValidationFailed("The file is empty.", {"file": ["The file has no data rows."]})
    header = normalise_header(table[0])
    missing = [c for c in importer.required if c not in header]
    unknown = [c for c in header if c and c not in importer.columns]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"Missing columns: {', '.join(missing)}.")
        if unknown:
            problems.append(f"Unknown columns: {', '.join(unknown)}.")
        raise ValidationFailed(
            "The columns are not the expected ones.",
            {"file": [" ".join(problems) + " Download the template."]},
        )
    outer = db.session.begin_nested()
    results = []
    for line, cells in enumerate(table[1:], start=2):
        values = {
            name: (cells[i] if i < len(cells) else "").strip()
            for i, name in enumerate(header)
            if name
        }
        row = db.session.begin_nested()
        try:
            action = importer.apply(actor, values)
        except DomainError as exc:
            row.rollback()
            errors = [(f, m) for f, messages in exc.errors.items() for m in messages] or [
                ("", exc.message)
            ]
            results.append(RowResult(line, importer.key(values), "refused", errors))
        else:
            row.commit()
            results.append(RowResult(line, importer.key(values), action))
    failed = any(r.action == "refused" for r in results)
    if save and not (all_or_nothing and failed):
        outer.commit()
        return Report(results, saved=True)
    outer.rollback()
    return Report(results, saved=False)
