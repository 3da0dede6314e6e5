"""MLA requests in and out of spreadsheets: one row per request, its history as dated columns."""

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from registry.blueprints.mla import services
from registry.blueprints.mla.models import (
    ASSISTANCE_TYPES,
    FINAL_RESPONSES,
    MlaAssistance,
    MlaRequest,
    MlaStatusChange,
)
from registry.core import audit, bulk, settings
from registry.core.audit import SYSTEM
from registry.core.errors import ValidationFailed
from registry.core.importer import Importer, compound_key, load_in_chunks, parse_day
from registry.core.permissions import scoped
from registry.extensions import db

STEPS = (
    ("date_received", "received"),
    ("date_acknowledged", "acknowledged"),
    ("date_in_execution", "in_execution"),
)
FINAL = ("executed", "partially_executed", "refused", "withdrawn", "lapsed")
DESCRIPTIVE = (
    "requesting_country",
    "requested_country",
    "crime_type",
    "legal_basis",
    "channel",
    "urgency",
    "summary",
)


class MlaImporter(Importer):
    kind = "mla"
    label = "MLA requests"
    object_type = "MlaRequest"
    filename = "mla-requests"
    readers = services.READERS
    columns = {
        "reference": "The requesting country's reference; a row with a requesting country and "
        "reference already in the registry updates that request",
        "requesting_country": "ISO alpha-3 code, e.g. KHM",
        "requested_country": "ISO alpha-3 code, different from the requesting country",
        "crime_type": "thb, som or related",
        "legal_basis": "asean_mlat, untoc, actip, bilateral_treaty, reciprocity, domestic_law or other",
        "assistance_types": "one or more of " + ", ".join(ASSISTANCE_TYPES) + ", separated by ;",
        "channel": "central_authority, diplomatic, direct or sea_just (default central_authority)",
        "urgency": "routine or urgent (default routine)",
        "summary": "Optional; never a victim's name",
        "date_sent": "YYYY-MM-DD; empty for a draft",
        "date_received": "YYYY-MM-DD when the requested country received it (optional)",
        "date_acknowledged": "YYYY-MM-DD (optional)",
        "date_in_execution": "YYYY-MM-DD (optional)",
        "final_status": "executed, partially_executed, refused, withdrawn or lapsed (optional)",
        "final_date": "YYYY-MM-DD of the final status",
        "refusal_ground": "for a refusal: dual_criminality, insufficient_information, sovereignty_security, "
        "political_offence, double_jeopardy, death_penalty or other",
        "status": "exported for information; ignored on import",
        "turnaround_days": "exported for information; ignored on import",
    }
    required = (
        "reference",
        "requesting_country",
        "requested_country",
        "crime_type",
        "legal_basis",
        "assistance_types",
    )

    def records(self, user, filters):
        overdue_days = settings.get("MLA_OVERDUE_DAYS")
        return services.list_query(user, filters, overdue_days, date.today()).options(
            selectinload(MlaRequest.history)
        )

    def key(self, values):
        """A reference is unique per requesting country: the two together name a request."""
        return compound_key(values.get("requesting_country", "").upper(), values.get("reference"))

    def load(self, user, keys):
        pairs = {tuple(key.split(" ", 1)): key for key in keys}
        found = load_in_chunks(
            lambda some: db.session.scalars(
                scoped(sa.select(MlaRequest), user, MlaRequest)
                .where(sa.tuple_(MlaRequest.requesting_country, MlaRequest.reference).in_(some))
                .options(selectinload(MlaRequest.history))
            ),
            pairs,
        )
        return {pairs[(req.requesting_country, req.reference)]: req for req in found}

    @staticmethod
    def _read(values):
        """The row's cells as service input, its dates and the status steps it records."""
        errors = {}
        dates = {
            name: parse_day(values, name, errors)
            for name in ("date_sent", "final_date", *(s[0] for s in STEPS))
        }
        final = values.get("final_status") or None
        if final and final not in FINAL:
            errors["final_status"] = [f"Choose one of: {', '.join(FINAL)}."]
        if final and not dates["final_date"]:
            errors["final_date"] = ["Give the date of the final status."]
        if errors:
            raise ValidationFailed("Row refused.", errors)
        data = {
            **{k: values.get(k) or None for k in ("reference", *DESCRIPTIVE)},
            "summary": values.get("summary", ""),
            "assistance_types": [
                t.strip() for t in (values.get("assistance_types") or "").split(";") if t.strip()
            ],
        }
        ground = values.get("refusal_ground") or None
        steps = [
            {
                "status": status,
                "on": dates[column],
                "ground": ground if status == "refused" else None,
            }
            for column, status in STEPS
            if dates[column]
        ]
        if final:
            steps.append({"status": final, "on": dates["final_date"], "ground": ground})
        return data, dates["date_sent"], steps

    @staticmethod
    def _new(data, sent):
        return {
            **data,
            "channel": data["channel"] or "central_authority",
            "urgency": data["urgency"] or "routine",
            "date_sent": sent,
        }

    def plan(self, actor, values, context):
        """Check a new request and its dated steps by the services' rules; write nothing."""
        data, sent, steps = self._read(values)
        cleaned, types, sent = services.check_new(
            actor, self._new(data, sent), context.today, context.lookups
        )
        status = "sent" if sent else "draft"
        history = [
            (status, sent or context.today, f"Created as {'sent' if sent else 'a draft'}.", None)
        ]
        final_date, last = None, sent
        for step in steps:
            if step["status"] == status:
                continue
            errors = services.transition_errors(status, sent, last, step, context.today)
            if errors:
                raise ValidationFailed("The status change was not recorded.", errors)
            status, last = step["status"], step["on"]
            sent = last if status == "sent" else sent
            final_date = last if status in FINAL_RESPONSES else None
            history.append((status, last, "", step["ground"]))
        return {
            **cleaned,
            "types": types,
            "status": status,
            "date_sent": sent,
            "final_date": final_date,
            "history": history,
        }

    def insert(self, actor, plans):
        actor_id = None if actor == SYSTEM else actor.id
        ids = bulk.insert_with_ids(
            MlaRequest,
            [
                {k: v for k, v in plan.items() if k not in ("types", "history")}
                | {"updated_by_id": actor_id}
                for plan in plans
            ],
        )
        saved = list(zip(ids, plans, strict=True))
        bulk.insert(
            MlaAssistance,
            [{"mla_request_id": i, "type": t} for i, plan in saved for t in plan["types"]],
        )
        bulk.insert(
            MlaStatusChange,
            [
                {
                    "mla_request_id": i,
                    "status": status,
                    "date": on,
                    "note": note,
                    "ground": ground,
                    "actor_id": actor_id,
                }
                for i, plan in saved
                for status, on, note, ground in plan["history"]
            ],
        )
        audit.record_created(
            actor,
            MlaRequest,
            [
                (
                    i,
                    {k: v for k, v in plan.items() if k != "types"}
                    | {
                        "assistance_types": plan["types"],
                        "history": [[status, on] for status, on, _, _ in plan["history"]],
                    },
                )
                for i, plan in saved
            ],
            "bulk import",
        )

    def apply(self, actor, values, existing):
        data, sent, steps = self._read(values)
        if existing is None:
            req = services.create_request(actor, self._new(data, sent))
            action = "created"
        else:
            req, action = existing, "unchanged"
            changes = {
                k: data[k]
                for k in DESCRIPTIVE
                if data[k] is not None and data[k] != getattr(req, k)
            }
            if sorted(data["assistance_types"]) != req.assistance_types:
                changes["assistance_types"] = data["assistance_types"]
            if changes:
                services.update_request(actor, req, changes, req.version, "bulk import")
                action = "updated"
            if sent and req.status == "draft":
                services.record_status(actor, req, "sent", sent)
                action = "updated"
        done = {change.status for change in req.history}
        for step in steps:
            if step["status"] not in done and step["status"] != req.status:
                services.record_status(
                    actor, req, step["status"], step["on"], ground=step["ground"]
                )
                action = "updated" if action == "unchanged" else action
        return action

    @staticmethod
    def row(req):
        """A request as a row of the import columns (so an export can be imported back)."""
        on = {}
        for change in req.history:
            on[change.status] = change.date
        final = req.status if req.status in FINAL else None
        ground = next((c.ground for c in reversed(req.history) if c.status == "refused"), None)
        return {
            "reference": req.reference,
            "requesting_country": req.requesting_country,
            "requested_country": req.requested_country,
            "crime_type": req.crime_type,
            "legal_basis": req.legal_basis,
            "assistance_types": ";".join(req.assistance_types),
            "channel": req.channel,
            "urgency": req.urgency,
            "summary": req.summary,
            "date_sent": req.date_sent,
            "date_received": on.get("received"),
            "date_acknowledged": on.get("acknowledged"),
            "date_in_execution": on.get("in_execution"),
            "final_status": final,
            "final_date": on.get(final) if final else None,
            "refusal_ground": ground if final == "refused" else None,
            "status": req.status,
            "turnaround_days": req.turnaround_days,
        }
