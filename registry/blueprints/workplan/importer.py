"""Work-plan items in and out of spreadsheets; an item is identified by its plan and title."""

import sqlalchemy as sa

from registry.blueprints.workplan import services
from registry.blueprints.workplan.models import STATUSES, WorkPlanItem
from registry.core.errors import ValidationFailed
from registry.core.importer import Importer, compound_key, load_in_chunks, parse_day
from registry.extensions import db

SEPARATOR = " / "


class WorkPlanImporter(Importer):
    kind = "work_plan"
    label = "Work-plan items"
    object_type = "WorkPlanItem"
    filename = "work-plan"
    readers = services.READERS
    columns = {
        "work_plan": "The work plan's name; with the title it identifies the item",
        "title": "The activity as the plan words it",
        "lead": "The lead country or body",
        "supporting": "Supporting or cooperating bodies (optional)",
        "timeline": 'As written, e.g. "2025-2026" or "Annual" (optional)',
        "indicative_budget": "As written (optional)",
        "status": ", ".join(STATUSES),
        "status_date": "YYYY-MM-DD: since when the status holds; a new status or date adds "
        "to the item's history",
        "narrative": "Optional",
    }
    required = ("work_plan", "title", "lead", "status", "status_date")

    def records(self, user, filters):
        return services.list_query(filters)

    def key(self, values):
        return compound_key(values.get("work_plan"), values.get("title"), separator=SEPARATOR)

    def load(self, user, keys):
        pairs = {tuple(key.split(SEPARATOR, 1)): key for key in keys if SEPARATOR in key}
        found = load_in_chunks(
            lambda some: db.session.scalars(
                sa.select(WorkPlanItem).where(
                    sa.tuple_(WorkPlanItem.work_plan, WorkPlanItem.title).in_(some)
                )
            ),
            pairs,
        )
        return {pairs[(i.work_plan, i.title)]: i for i in found}

    def apply(self, actor, values, existing):
        errors = {}
        data = {k: values.get(k) or "" for k in services.FIELDS}
        data["status"] = values.get("status") or None
        data["status_date"] = parse_day(values, "status_date", errors)
        if errors:
            raise ValidationFailed("Row refused.", errors)
        if existing is None:
            services.create(actor, data)
            return "created"
        changes = {k: v for k, v in data.items() if k in services.FIELDS}
        changes = {k: v for k, v in changes.items() if str(v) != str(getattr(existing, k))}
        if (data["status"], data["status_date"]) != (existing.status, existing.status_date):
            changes.update(status=data["status"], status_date=data["status_date"])
        if not changes:
            return "unchanged"
        services.update(actor, existing, changes, None, "bulk import")
        return "updated"

    @staticmethod
    def row(item):
        return {
            "work_plan": item.work_plan,
            "title": item.title,
            "lead": item.lead,
            "supporting": item.supporting,
            "timeline": item.timeline,
            "indicative_budget": item.indicative_budget,
            "status": item.status,
            "status_date": item.status_date,
            "narrative": item.narrative,
        }
