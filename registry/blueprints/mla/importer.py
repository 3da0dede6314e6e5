"""MLA requests in and out of spreadsheets: one row per request, its history as dated columns."""

import sqlalchemy as sa

from registry.blueprints.mla import services
from registry.blueprints.mla.models import ASSISTANCE_TYPES, MlaRequest
from registry.core.errors import ValidationFailed
from registry.core.importer import Importer, parse_day
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
    columns = {
        "reference": "Your reference; a row with a reference already in the registry updates that request",
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

    def key(self, values):
        return values.get("reference", "")

    def apply(self, actor, values):
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
        existing = db.session.scalar(
            sa.select(MlaRequest).where(MlaRequest.reference == data["reference"])
        )
        if existing is None:
            defaults = {
                "channel": data["channel"] or "central_authority",
                "urgency": data["urgency"] or "routine",
            }
            req = services.create_request(
                actor, {**data, **defaults, "date_sent": dates["date_sent"]}
            )
            action = "created"
        else:
            if not services.can_view(actor, existing):
                raise ValidationFailed(
                    "Row refused.",
                    {"reference": ["This reference belongs to a request outside your scope."]},
                )
            req, action = existing, "unchanged"
            changes = {
                k: data[k]
                for k in DESCRIPTIVE
                if data[k] is not None and data[k] != getattr(req, k)
            }
            if sorted(data["assistance_types"]) != req.assistance_types:
                changes["assistance_types"] = data["assistance_types"]
            if changes:
                services.update_request(actor, req, changes, None, "bulk import")
                action = "updated"
            if dates["date_sent"] and req.status == "draft":
                services.record_status(actor, req, "sent", dates["date_sent"])
                action = "updated"
        done = {change.status for change in req.history}
        steps = [(status, dates[column]) for column, status in STEPS if dates[column]]
        if final:
            steps.append((final, dates["final_date"]))
        for status, on in steps:
            if status not in done and status != req.status:
                services.record_status(
                    actor, req, status, on, ground=values.get("refusal_ground") or None
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
