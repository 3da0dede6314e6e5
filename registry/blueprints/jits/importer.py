"""Joint investigation teams in and out of spreadsheets; a team is identified by its name."""

import sqlalchemy as sa

from registry.blueprints.jits import services
from registry.blueprints.jits.models import JIT_TYPES, OUTCOME_FIELDS, VICTIM_FIELDS, Jit
from registry.core.errors import ValidationFailed
from registry.core.export import suppress, suppressed
from registry.core.importer import Importer, load_in_chunks, parse_day
from registry.core.permissions import scoped
from registry.extensions import db

DATES = ("agreement_signed", "planned_end", "actual_end")


class JitImporter(Importer):
    kind = "jits"
    label = "Joint investigation teams"
    object_type = "Jit"
    filename = "jits"
    readers = services.READERS
    columns = {
        "name": "The team's name; a row with a name already in the registry updates that team",
        "type": ", ".join(JIT_TYPES),
        "member_countries": "Two or more ISO alpha-3 codes separated by ;",
        "lead_country": "One of the members",
        "legal_basis": "asean_mlat, untoc, actip, bilateral_treaty, reciprocity, domestic_law or other",
        "agreement_signed": "YYYY-MM-DD (optional; with it the team is established)",
        "planned_end": "YYYY-MM-DD (optional)",
        "actual_end": "YYYY-MM-DD (optional)",
        **dict.fromkeys(OUTCOME_FIELDS, "Whole number (optional); victims as counts only"),
        "status": "exported for information; ignored on import",
    }
    required = ("name", "type", "member_countries", "lead_country", "legal_basis")

    def records(self, user, filters):
        return services.list_query(user, filters)

    def key(self, values):
        return values.get("name", "")

    def load(self, user, keys):
        by_name = {key.lower(): key for key in keys}
        found = load_in_chunks(
            lambda some: db.session.scalars(
                scoped(sa.select(Jit), user, Jit).where(
                    sa.func.lower(Jit.name).in_([k.lower() for k in some])
                )
            ),
            keys,
        )
        return {by_name[jit.name.lower()]: jit for jit in found}

    def apply(self, actor, values, existing):
        errors = {}
        data = {k: values.get(k) or None for k in ("name", "type", "lead_country", "legal_basis")}
        data |= {name: parse_day(values, name, errors) for name in DATES}
        # Exports print victim counts 1-4 as "<5": such a cell keeps the stored count.
        data |= {
            f: values[f] for f in OUTCOME_FIELDS if values.get(f) and not suppressed(values[f])
        }
        data["member_countries"] = [
            c.strip() for c in (values.get("member_countries") or "").split(";") if c.strip()
        ]
        if errors:
            raise ValidationFailed("Row refused.", errors)
        if existing is None:
            services.create_jit(actor, data)
            return "created"
        current = self.row(existing) | {f: getattr(existing, f) for f in OUTCOME_FIELDS}
        changed = {
            k: v
            for k, v in data.items()
            if str(v if not isinstance(v, list) else ";".join(sorted(v))) != str(current.get(k))
        }
        if not changed:
            return "unchanged"
        services.update_jit(actor, existing, changed, existing.version, "bulk import")
        return "updated"

    @staticmethod
    def row(jit):
        """A team as a row of the import columns; small victim counts print as "<5"."""
        return {
            "name": jit.name,
            "type": jit.type,
            "member_countries": ";".join(jit.member_countries),
            "lead_country": jit.lead_country,
            "legal_basis": jit.legal_basis,
            **{name: getattr(jit, name) for name in DATES},
            **{
                f: suppress(getattr(jit, f)) if f in VICTIM_FIELDS else getattr(jit, f)
                for f in OUTCOME_FIELDS
            },
            "status": jit.status,
        }
