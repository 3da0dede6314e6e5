"""Annual statistics in and out of spreadsheets."""

import sqlalchemy as sa

from registry.blueprints.prosecutions import services
from registry.blueprints.prosecutions.models import METRICS, AnnualStatistic
from registry.core.errors import ValidationFailed
from registry.core.importer import Importer
from registry.extensions import db

FIGURES = ("total", "female", "male")


class StatisticsImporter(Importer):
    kind = "statistics"
    label = "Annual statistics"
    object_type = "AnnualStatistic"
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

    def key(self, values):
        return " / ".join(values.get(k, "") for k in ("country", "year", "metric", "source"))

    def apply(self, actor, values):
        data = {k: values.get(k) or None for k in self.columns}
        try:
            data["year"] = int(data["year"]) if data["year"] else None
        except ValueError as exc:
            raise ValidationFailed(
                "Row refused.", {"year": [f"“{values['year']}” is not a year."]}
            ) from exc
        existing = db.session.scalar(
            sa.select(AnnualStatistic).where(
                AnnualStatistic.country == (data["country"] or "").upper(),
                AnnualStatistic.year == data["year"],
                AnnualStatistic.metric == data["metric"],
                AnnualStatistic.source == data["source"],
            )
        )
        if existing is None:
            services.save_statistic(actor, data)
            return "created"
        if not services.can_view(actor, existing.country):
            raise ValidationFailed("Row refused.", {"country": ["Outside your scope."]})
        figures = {
            k: int(data[k]) if data[k] not in (None, "") and str(data[k]).isdigit() else data[k]
            for k in FIGURES
        }
        if all(figures[k] == getattr(existing, k) for k in FIGURES):
            return "unchanged"
        services.save_statistic(actor, figures, existing, None, "bulk import")
        return "updated"

    @staticmethod
    def row(stat):
        return {k: getattr(stat, k) for k in ("country", "year", "metric", "source", *FIGURES)}
