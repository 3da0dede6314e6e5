"""Work-plan items: who reads and edits them, their timeline's years, the status history."""

import re
from datetime import date

import sqlalchemy as sa

from registry.blueprints.workplan.models import STATUSES, WorkPlanItem, WorkPlanStatusChange
from registry.core import audit, params
from registry.core.errors import Forbidden
from registry.core.roles import ADMIN, CASE_READERS, OFFICIAL, UNODC
from registry.core.validate import Checker
from registry.extensions import db

# Work plans are regional: every role reads them; the secretariat keeps them.
READERS = (*sorted(CASE_READERS), OFFICIAL)
EDITORS = (ADMIN, UNODC)
FIELDS = ("work_plan", "title", "lead", "supporting", "timeline", "indicative_budget", "narrative")
YEAR = re.compile(r"\b(19|20)\d{2}\b")


def timeline_years(timeline):
    """The first and last year a timeline names ("2025-2026" → (2025, 2026)); (None, None)
    for "Annual" or "Continuous"."""
    years = [int(m.group(0)) for m in YEAR.finditer(timeline or "")]
    return (min(years), max(years)) if years else (None, None)


def _clean(data):
    check = Checker(data)
    values = {
        "work_plan": check.text("work_plan", 200, label="the work plan's name"),
        "title": check.text("title", 500, label="the activity"),
        "lead": check.text("lead", 200, label="the lead country or body"),
        "supporting": check.text("supporting", 500, required=False),
        "timeline": check.text("timeline", 100, required=False),
        "indicative_budget": check.text("indicative_budget", 100, required=False),
        "narrative": (data.get("narrative") or "").strip(),
    }
    if len(values["narrative"]) > 8000:
        check.fail("narrative", "At most 8000 characters.")
    values["year_from"], values["year_to"] = timeline_years(values["timeline"])
    return check, values


def _status(check, required):
    status = check.code("status", STATUSES, required=required)
    when = check.day("status_date", required=status is not None)
    note = check.text("status_note", 1000, required=False)
    return status, when, note


def create(actor, data, today=None):
    if actor.role not in EDITORS:
        raise Forbidden("Your role cannot keep the work plan.")
    check, values = _clean({"status_date": today or date.today(), **data})
    status, when, note = _status(check, required=True)
    check.raise_if_any("The work-plan item was not saved.")
    audit.act_as(actor)
    item = WorkPlanItem(**values, status=status, status_date=when)
    item.history = [WorkPlanStatusChange(status=status, date=when, note=note)]
    item.stamp(actor)
    db.session.add(item)
    db.session.flush()
    return item


def update(actor, item, data, expected_version, reason):
    """Change an item; a new status adds a dated line to its history."""
    if actor.role not in EDITORS:
        raise Forbidden("Your role cannot keep the work plan.")
    merged = {f: getattr(item, f) for f in FIELDS}
    merged.update({k: v for k, v in data.items() if v is not None})
    check, values = _clean(merged)
    status, when, note = _status(check, required=False)
    if status is not None and when is not None and when < item.status_date:
        check.fail("status_date", f"The current status dates from {item.status_date}.")
    if not (reason or "").strip():
        check.fail("reason", "Say why you change this item.")
    check.raise_if_any("The work-plan item was not saved.")
    item.check_version(expected_version)
    audit.act_as(actor, reason.strip())
    for key, value in values.items():
        setattr(item, key, value)
    if status is not None:
        item.status, item.status_date = status, when
        item.history.append(WorkPlanStatusChange(status=status, date=when, note=note))
    item.stamp(actor)
    db.session.flush()
    return item


def list_query(args):
    stmt = sa.select(WorkPlanItem)
    if status := params.code(args, "status", WorkPlanItem.status):
        stmt = stmt.where(WorkPlanItem.status == status)
    if plan := (args.get("work_plan") or "").strip():
        stmt = stmt.where(WorkPlanItem.work_plan == plan)
    if q := (args.get("q") or "").strip():
        stmt = stmt.where(WorkPlanItem.title.ilike(f"%{q}%") | WorkPlanItem.lead.ilike(f"%{q}%"))
    return stmt.order_by(WorkPlanItem.work_plan, WorkPlanItem.id)


def can_view(user, _item):
    return user.role in READERS
