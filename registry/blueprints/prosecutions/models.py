"""Prosecution cases (victims as counts only) and the annual statistics countries report."""

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core import limits
from registry.core.audit import Audited
from registry.core.columns import VersionedMixin, choice
from registry.extensions import db

CRIME_TYPES = {"thb": "Trafficking in persons (THB)", "som": "Smuggling of migrants (SOM)"}
STAGES = {
    "investigation": "Investigation",
    "prosecution": "Prosecution",
    "trial": "Trial",
    "verdict": "Verdict",
    "appeal": "Appeal",
    "closed": "Closed",
}
EXPLOITATION_FORMS = {
    "forced_labour": "Forced labour",
    "sexual_exploitation": "Sexual exploitation",
    "forced_criminality": "Forced criminality (incl. online scams)",
    "domestic_servitude": "Domestic servitude",
    "forced_marriage": "Forced marriage",
    "begging": "Forced begging",
    "organ_removal": "Organ removal",
    "other": "Other",
}
OUTCOMES = {
    "pending": "Pending",
    "convicted": "Convicted",
    "acquitted": "Acquitted",
    "dismissed": "Dismissed",
}
SEXES = {"female": "Female", "male": "Male", "other_or_unknown": "Other or unknown"}
AGE_GROUPS = {"adult": "Adult", "child": "Child"}
METRICS = {
    "persons_investigated": "Persons investigated",
    "persons_prosecuted": "Persons prosecuted",
    "persons_convicted": "Persons convicted",
    "victims_identified": "Victims identified",
}
FLAGS = ("transnational", "cyber_enabled", "corruption_link", "non_punishment_applied")

prosecution_mla = sa.Table(
    "prosecution_mla",
    db.metadata,
    sa.Column(
        "case_id", sa.ForeignKey("prosecution_case.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column(
        "mla_request_id", sa.ForeignKey("mla_request.id", ondelete="CASCADE"), primary_key=True
    ),
)
prosecution_jit = sa.Table(
    "prosecution_jit",
    db.metadata,
    sa.Column(
        "case_id", sa.ForeignKey("prosecution_case.id", ondelete="CASCADE"), primary_key=True
    ),
    sa.Column("jit_id", sa.ForeignKey("jit.id", ondelete="CASCADE"), primary_key=True),
)


class ProsecutionCase(Audited, VersionedMixin, db.Model):
    __tablename__ = "prosecution_case"
    __audit_links__ = ("mla_requests", "jits")

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(sa.ForeignKey("country.iso3"), index=True)
    reference: Mapped[str] = mapped_column(sa.String(60))
    crime_type: Mapped[str] = mapped_column(
        choice(tuple(CRIME_TYPES), "case_crime_type"), index=True
    )
    sector: Mapped[str] = mapped_column(sa.String(60), default="")
    stage: Mapped[str] = mapped_column(choice(tuple(STAGES), "case_stage"), index=True)
    # Kept by the stage service; outcome indicator 2.3 counts prosecution_started.
    investigation_started: Mapped[dt.date | None] = mapped_column(index=True)
    prosecution_started: Mapped[dt.date | None] = mapped_column(index=True)
    verdict_date: Mapped[dt.date | None] = mapped_column(index=True)
    transnational: Mapped[bool] = mapped_column(default=False)
    cyber_enabled: Mapped[bool] = mapped_column(default=False)
    corruption_link: Mapped[bool] = mapped_column(default=False)
    non_punishment_applied: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(sa.Text, default="", info=limits.bounded(limits.LONG_TEXT))

    forms = relationship("CaseExploitation", cascade="all, delete-orphan", lazy="selectin")
    stages = relationship(
        "CaseStage", cascade="all, delete-orphan", order_by="CaseStage.id", lazy="selectin"
    )
    defendants = relationship(
        "Defendant", cascade="all, delete-orphan", order_by="Defendant.id", lazy="selectin"
    )
    victims = relationship("CaseVictimCount", cascade="all, delete-orphan", lazy="selectin")
    mla_requests = relationship("MlaRequest", secondary=prosecution_mla, lazy="selectin")
    jits = relationship("Jit", secondary=prosecution_jit, lazy="selectin")
    country_ref = relationship("Country", lazy="joined")

    __table_args__ = (sa.UniqueConstraint("country", "reference", name="country_reference"),)

    @classmethod
    def in_countries(cls, countries):
        return cls.country.in_(countries)

    @property
    def exploitation_forms(self):
        return sorted(row.form for row in self.forms)

    @property
    def victims_total(self):
        return sum(v.count for v in self.victims)


class CaseExploitation(Audited, db.Model):
    __tablename__ = "case_exploitation"

    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("prosecution_case.id", ondelete="CASCADE"), primary_key=True
    )
    form: Mapped[str] = mapped_column(
        choice(tuple(EXPLOITATION_FORMS), "exploitation_form"), primary_key=True
    )


class CaseStage(Audited, db.Model):
    __tablename__ = "case_stage"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("prosecution_case.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(choice(tuple(STAGES), "case_stage"))
    date: Mapped[dt.date]


class Defendant(Audited, db.Model):
    __tablename__ = "defendant"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("prosecution_case.id", ondelete="CASCADE"), index=True
    )
    sex: Mapped[str] = mapped_column(choice(tuple(SEXES), "sex"))
    nationality: Mapped[str | None] = mapped_column(sa.ForeignKey("country.iso3"))
    outcome: Mapped[str] = mapped_column(
        choice(tuple(OUTCOMES), "defendant_outcome"), default="pending"
    )
    sentence_months: Mapped[int | None]
    fine: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))
    asset_confiscation: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))
    restitution: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))


class CaseVictimCount(Audited, db.Model):
    """Victims as counts only, never as persons."""

    __tablename__ = "case_victim_count"

    case_id: Mapped[int] = mapped_column(
        sa.ForeignKey("prosecution_case.id", ondelete="CASCADE"), primary_key=True
    )
    sex: Mapped[str] = mapped_column(choice(tuple(SEXES), "sex"), primary_key=True)
    age_group: Mapped[str] = mapped_column(choice(tuple(AGE_GROUPS), "age_group"), primary_key=True)
    nationality: Mapped[str] = mapped_column(sa.ForeignKey("country.iso3"), primary_key=True)
    count: Mapped[int]


class AnnualStatistic(Audited, VersionedMixin, db.Model):
    __tablename__ = "annual_statistic"

    id: Mapped[int] = mapped_column(primary_key=True)
    country: Mapped[str] = mapped_column(sa.ForeignKey("country.iso3"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    metric: Mapped[str] = mapped_column(choice(tuple(METRICS), "statistic_metric"))
    source: Mapped[str] = mapped_column(sa.String(200))
    total: Mapped[int]
    female: Mapped[int | None]
    male: Mapped[int | None]

    __table_args__ = (
        sa.UniqueConstraint("country", "year", "metric", "source", name="one_per_source"),
    )

    @classmethod
    def in_countries(cls, countries):
        return cls.country.in_(countries)
