"""Annual statistics and prosecution cases in and out of spreadsheets."""

import sqlalchemy as sa

from registry.blueprints.prosecutions import services
from registry.blueprints.prosecutions.models import (
    EXPLOITATION_FORMS,
    FLAGS,
    METRICS,
    STAGES,
    AnnualStatistic,
    CaseExploitation,
    CaseStage,
    ProsecutionCase,
)
from registry.core import audit, bulk
from registry.core.audit import SYSTEM
from registry.core.errors import ValidationFailed
from registry.core.export import suppress, suppressed
from registry.core.importer import (
    Importer,
    compound_key,
    load_in_chunks,
    parse_day,
    parse_yes_no,
)
from registry.core.permissions import scoped
from registry.extensions import db

FIGURES = ("total", "female", "male")


class StatisticsImporter(Importer):
    kind = "statistics"
    label = "Annual statistics"
    object_type = "AnnualStatistic"
    filename = "annual-statistics"
    readers = services.READERS
    columns = {
        "country": "ISO alpha-3 code",
        "year": "Four digits",
        "metric": ", ".join(METRICS),
        "source": "Who reported the figure; one row per country, year, metric and source",
        "total": "Whole number",
        "female": "Of whom women and girls (optional)",
        "male": "Of whom men and boys (optional)",
    }
    required = ("country", "year", "metric", "source", "total")

    def records(self, user, filters):
        return services.statistics_query(user, filters)

    def key(self, values):
        return compound_key(
            values.get("country", "").upper(),
            *(values.get(k) for k in ("year", "metric", "source")),
            separator=" / ",
        )

    def load(self, user, keys):
        wanted = set(keys)
        found = load_in_chunks(
            lambda some: db.session.scalars(
                scoped(sa.select(AnnualStatistic), user, AnnualStatistic).where(
                    AnnualStatistic.country.in_({k.split(" / ")[0].upper() for k in some}),
                    AnnualStatistic.metric.in_({k.split(" / ")[2] for k in some}),
                )
            ),
            keys,
        )
        by_key = {self.key({**self.row(stat), "year": str(stat.year)}): stat for stat in found}
        return {key: stat for key, stat in by_key.items() if key in wanted}

    def apply(self, actor, values, existing):
        data = {k: values.get(k) or None for k in self.columns}
        try:
            data["year"] = int(data["year"]) if data["year"] else None
        except ValueError as exc:
            raise ValidationFailed(
                "Row refused.", {"year": [f"“{values['year']}” is not a year."]}
            ) from exc
        if existing is None:
            services.save_statistic(actor, data)
            return "created"
        # Exports print victim counts 1-4 as "<5": such a cell keeps the stored count.
        figures = {
            k: getattr(existing, k)
            if suppressed(data[k])
            else int(data[k])
            if data[k] not in (None, "") and str(data[k]).isdigit()
            else data[k]
            for k in FIGURES
        }
        if all(figures[k] == getattr(existing, k) for k in FIGURES):
            return "unchanged"
        services.save_statistic(actor, figures, existing, existing.version, "bulk import")
        return "updated"

    @staticmethod
    def row(stat):
        """A figure in the import columns; small victim counts print as "<5"."""
        victims = stat.metric == "victims_identified"
        figures = {k: getattr(stat, k) for k in FIGURES}
        return {
            **{k: getattr(stat, k) for k in ("country", "year", "metric", "source")},
            **{k: suppress(v) if victims and v is not None else v for k, v in figures.items()},
        }


class CaseImporter(Importer):
    """Prosecution cases, identified by country and reference; the stage moves forward only."""

    kind = "cases"
    label = "Prosecution cases"
    object_type = "ProsecutionCase"
    filename = "prosecution-cases"
    readers = services.READERS
    columns = {
        "country": "ISO alpha-3 code",
        "reference": "Internal case reference (never a victim's name); with the country it identifies the case",
        "crime_type": "thb or som",
        "stage": ", ".join(STAGES),
        "stage_date": "YYYY-MM-DD when the case reached that stage",
        "exploitation_forms": ", ".join(EXPLOITATION_FORMS) + " (separated by ;)",
        **dict.fromkeys(FLAGS, "yes or no"),
        "investigation_started": "YYYY-MM-DD for a new case entered at a later stage; empty when not known",
        "prosecution_started": "YYYY-MM-DD for a new case entered after prosecution; empty when not known",
        "defendants": "exported for information; ignored on import",
        "victims_identified": "exported for information (1 to 4 print as <5); ignored on import",
    }
    required = ("country", "reference", "crime_type", "stage", "stage_date")

    def records(self, user, filters):
        return services.cases_query(user, filters)

    def key(self, values):
        return compound_key(values.get("country", "").upper(), values.get("reference"))

    def load(self, user, keys):
        pairs = {tuple(key.split(" ", 1)): key for key in keys if " " in key}
        found = load_in_chunks(
            lambda some: db.session.scalars(
                scoped(sa.select(ProsecutionCase), user, ProsecutionCase).where(
                    sa.tuple_(ProsecutionCase.country, ProsecutionCase.reference).in_(some)
                )
            ),
            pairs,
        )
        return {pairs[(case.country, case.reference)]: case for case in found}

    @staticmethod
    def _read(values):
        """The row as service input for a new case (its stage and the stage's date included)."""
        errors = {}
        on = parse_day(values, "stage_date", errors)
        earlier = {f: parse_day(values, f, errors) for f in services.EARLIER}
        flags = {flag: parse_yes_no(values, flag, errors, empty=False) for flag in FLAGS}
        if errors:
            raise ValidationFailed("Row refused.", errors)
        return {
            "country": (values.get("country") or "").upper(),
            "reference": values.get("reference"),
            "crime_type": values.get("crime_type"),
            **flags,
            "exploitation_forms": [
                f.strip() for f in (values.get("exploitation_forms") or "").split(";") if f.strip()
            ],
            "stage": values.get("stage"),
            "stage_date": on,
            **earlier,
        }

    def plan(self, actor, values, context):
        """Check a new case by the services' rules; write nothing."""
        cleaned, forms, _, _, columns, history = services.check_new_case(
            actor, self._read(values), context.today, context.lookups
        )
        return {"verdict_date": None, **cleaned, **columns} | {"forms": forms, "history": history}

    def insert(self, actor, plans):
        actor_id = None if actor == SYSTEM else actor.id
        cases = [{k: v for k, v in p.items() if k not in ("forms", "history")} for p in plans]
        ids = bulk.insert_with_ids(
            ProsecutionCase, [c | {"updated_by_id": actor_id} for c in cases]
        )
        saved = list(zip(ids, plans, strict=True))
        bulk.insert(
            CaseExploitation, [{"case_id": i, "form": f} for i, p in saved for f in p["forms"]]
        )
        bulk.insert(
            CaseStage,
            [
                {"case_id": i, "stage": stage, "date": on}
                for i, p in saved
                for stage, on in p["history"]
            ],
        )
        audit.record_created(
            actor,
            ProsecutionCase,
            [
                (i, case | {"exploitation_forms": p["forms"]})
                for (i, p), case in zip(saved, cases, strict=True)
            ],
            "bulk import",
        )

    def apply(self, actor, values, existing):
        data = self._read(values)
        on = data.pop("stage_date")
        stage = data.pop("stage")
        earlier = {f: data.pop(f) for f in services.EARLIER}
        if existing is None:
            services.create_case(actor, {**data, **earlier, "stage": stage, "stage_date": on})
            return "created"
        action = "unchanged"
        current = {k: getattr(existing, k) for k in data} | {
            "exploitation_forms": existing.exploitation_forms
        }
        changes = {
            k: v
            for k, v in data.items()
            if k not in ("country", "reference")
            and (sorted(v) if k == "exploitation_forms" else v) != current[k]
        }
        if changes:
            services.update_case(actor, existing, changes, existing.version, "bulk import")
            action = "updated"
        if stage != existing.stage:
            services.record_stage(actor, existing, stage, on)
            action = "updated"
        return action

    @staticmethod
    def row(case):
        last = case.stages[-1].date if case.stages else None
        return {
            "country": case.country,
            "reference": case.reference,
            "crime_type": case.crime_type,
            "stage": case.stage,
            "stage_date": last,
            "exploitation_forms": ";".join(case.exploitation_forms),
            **{flag: "yes" if getattr(case, flag) else "no" for flag in FLAGS},
            "investigation_started": case.investigation_started,
            "prosecution_started": case.prosecution_started,
            "defendants": len(case.defendants),
            "victims_identified": suppress(case.victims_total),
        }
