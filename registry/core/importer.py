"""Bulk import: every row is checked by the same rules as the pages, and a dry run and a real
run report exactly the same row errors.

Two paths. A row for a record already in the registry goes through the domain's services in its
own savepoint. A row for a new record, when the importer offers `plan` and `insert`, is checked
by the services' validation functions against reference data read once (no query per row) and
written with the other new rows in a few multi-row statements; that is what makes a file of
tens of thousands of rows take seconds."""

import gc
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.exc import IntegrityError

from registry.core.errors import DomainError, ValidationFailed
from registry.core.export import list_export
from registry.core.lookups import Preloaded
from registry.extensions import db

CHUNK = 2000  # new rows written per batch (and progress reported per batch)
KEYS_PER_QUERY = 5000  # stays far below the drivers' bound-parameter limits


@dataclass
class RowResult:
    line: int
    key: str
    action: str  # created, updated, unchanged or refused
    errors: list = field(default_factory=list)  # (field, message)

    def as_dict(self):
        return {"line": self.line, "key": self.key, "action": self.action, "errors": self.errors}


@dataclass
class Report:
    rows: list
    saved: bool

    def count(self, action):
        return sum(1 for r in self.rows if r.action == action)

    @property
    def refused(self):
        return [r for r in self.rows if r.action == "refused"]

    def summary(self):
        return {
            "rows": len(self.rows),
            "saved": self.saved,
            **{action: self.count(action) for action in ("created", "updated", "unchanged")},
            "refused": len(self.refused),
        }


@dataclass
class Context:
    """What every row of one file is checked against, read once before the first row."""

    lookups: Preloaded
    existing: dict  # key -> the record already in the registry
    today: date


class Importer(ABC):
    """One record type. Subclasses give `columns` (name -> help), `required`, `key(values)`
    (the reference that identifies the record), `load(user, keys)` (the records with those keys
    already in the registry and in the user's scope, as a dict) and `apply(actor, values,
    existing)`, which creates or updates one record through the domain's services and returns
    "created", "updated" or "unchanged".

    A record outside the importer's scope is never found: its row is checked as a new record,
    so it is refused like any other row outside the scope (or, where the key is taken, with the
    service's message that does not reveal the other record), never with a message saying that
    the record exists (docs/architecture.md §4).

    Importers of high-volume records also give `plan(actor, values, context)`, which validates a
    new record with the services' rules and returns what to write (raising DomainError when the
    row is refused), and `insert(actor, plans)`, which writes many such plans at once."""

    kind = ""
    label = ""
    object_type = ""
    filename = ""  # of exports, without the extension
    readers: tuple = ()  # roles that may list (and so export) these records
    columns: dict = {}
    required: tuple = ()
    plan = None
    insert = None

    def load(self, user, keys):
        return {}

    @abstractmethod
    def key(self, values):
        """The reference identifying the record of a row (shown in the report)."""

    @abstractmethod
    def apply(self, actor, values, existing):
        """Create or update one record through the services; return what was done."""

    @abstractmethod
    def records(self, user, filters):
        """The statement selecting the records `user` may see, narrowed by the list filters."""

    @staticmethod
    @abstractmethod
    def row(record):
        """A record as a row of the import columns."""


def export_response(actor, importer, fmt, filters):
    """The records in the import columns as a csv or xlsx download (so that the file imports
    back unchanged), with the actor's scope and the list's filters; the export is audited."""
    header = list(importer.columns)
    rows = (
        [importer.row(record)[column] for column in header]
        for record in db.session.scalars(importer.records(actor, filters))
    )
    return list_export(
        actor,
        fmt,
        importer.object_type,
        header,
        rows,
        importer.filename,
        {"filters": dict(filters)},
    )


def load_in_chunks(query, keys):
    """Run `query(some_keys)` over the keys in slices; return the union of the results."""
    keys = sorted(set(keys))
    found = []
    for start in range(0, len(keys), KEYS_PER_QUERY):
        found.extend(query(keys[start : start + KEYS_PER_QUERY]))
    return found


def compound_key(*parts, separator=" "):
    """A key made of several cells; empty when one is missing (that row is refused anyway, and
    two such rows are not "the same record")."""
    parts = [str(part or "").strip() for part in parts]
    return separator.join(parts) if all(parts) else ""


def parse_day(values, name, errors):
    """A YYYY-MM-DD cell, or None when empty; a bad one is reported under its column."""
    text = values.get(name) or ""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        errors.setdefault(name, []).append(f"“{text}” is not a date (YYYY-MM-DD).")
        return None


YES, NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}


def parse_yes_no(values, name, errors, empty=None):
    """A yes/no cell (also true/false, 1/0); `empty` when the cell is empty."""
    text = (values.get(name) or "").strip().lower()
    if text in YES | NO:
        return text in YES
    if text:
        errors.setdefault(name, []).append("Write yes or no.")
    return empty


def normalise_header(cells):
    return [(c or "").strip().lower().replace(" ", "_") for c in cells]


def check_header(importer, table):
    """Refuse an empty file or unexpected columns; return the header and the non-empty rows."""
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
    return header, table[1:]


def read_rows(importer, table):
    """(line number, values by column) for every non-empty row of a file with the right header."""
    header, rows = check_header(importer, table)
    return [
        (
            line,
            {
                name: (cells[i] if i < len(cells) else "").strip()
                for i, name in enumerate(header)
                if name
            },
        )
        for line, cells in enumerate(rows, start=2)
    ]


def _errors(exc):
    return [(f, m) for f, messages in exc.errors.items() for m in messages] or [("", exc.message)]


class _Run:
    def __init__(self, actor, importer, rows, progress):
        self.actor, self.importer, self.rows = actor, importer, rows
        self.progress = progress or (lambda done, total: None)
        self.results = {}
        self.pending = []  # (line, values, plan) of new records not written yet
        self.context = Context(
            Preloaded(),
            importer.load(actor, [key for _, values in rows if (key := importer.key(values))]),
            date.today(),
        )

    def one_by_one(self, line, values):
        """Apply one row through the services in its own savepoint."""
        key = self.importer.key(values)
        savepoint = db.session.begin_nested()
        try:
            action = self.importer.apply(self.actor, values, self.context.existing.get(key))
        except DomainError as exc:
            savepoint.rollback()
            self.results[line] = RowResult(line, key, "refused", _errors(exc))
        else:
            savepoint.commit()
            self.results[line] = RowResult(line, key, action)

    def planned(self, line, values):
        key = self.importer.key(values)
        try:
            plan = self.importer.plan(self.actor, values, self.context)
        except DomainError as exc:
            self.results[line] = RowResult(line, key, "refused", _errors(exc))
        else:
            self.pending.append((line, values, plan))
            self.results[line] = RowResult(line, key, "created")

    def write_pending(self):
        """Write the planned rows together; should the database still refuse them (a record
        created meanwhile by someone else), apply them one by one to say which and why."""
        if not self.pending:
            return
        savepoint = db.session.begin_nested()
        try:
            self.importer.insert(self.actor, [plan for _, _, plan in self.pending])
        except IntegrityError:
            savepoint.rollback()
            for line, values, _ in self.pending:
                self.one_by_one(line, values)
        else:
            savepoint.commit()
        self.pending = []

    def __call__(self):
        seen = {}
        bulk = self.importer.plan is not None
        for done, (line, values) in enumerate(self.rows, start=1):
            key = self.importer.key(values)
            if key and key in seen:
                self.results[line] = RowResult(
                    line,
                    key,
                    "refused",
                    [("", f"The same record is on line {seen[key]}: keep one row per record.")],
                )
            elif bulk and key not in self.context.existing:
                seen[key] = line
                self.planned(line, values)
            else:
                seen[key] = line
                self.one_by_one(line, values)
            if len(self.pending) >= CHUNK:
                self.write_pending()
            if done % CHUNK == 0:
                self.progress(done, len(self.rows))
        self.write_pending()
        self.progress(len(self.rows), len(self.rows))
        return [self.results[line] for line, _ in self.rows]


def run(actor, importer, table, save=False, all_or_nothing=False, progress=None):
    """Apply every row; keep the changes only when saving (and, if asked, only if no row failed).

    `progress(done, total)` is called after each batch of rows."""
    rows = read_rows(importer, table)
    outer = db.session.begin_nested()
    # The rows read so far live until the end: keep the collector from scanning them again and
    # again (a third of the time of a large file otherwise).
    gc.freeze()
    try:
        results = _Run(actor, importer, rows, progress)()
    finally:
        gc.unfreeze()
    failed = any(r.action == "refused" for r in results)
    if save and not (all_or_nothing and failed):
        outer.commit()
        return Report(results, saved=True)
    outer.rollback()
    return Report(results, saved=False)
