"""Joint investigation teams: members, extensions, outcomes and evaluation."""

from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core import limits
from registry.core.audit import Audited
from registry.core.columns import VersionedMixin, choice
from registry.extensions import db

JIT_TYPES = {"judicial": "Judicial", "law_enforcement": "Law enforcement", "mixed": "Mixed"}
STATUS_LABELS = {
    "proposed": "Proposed",
    "agreement_drafting": "Agreement drafting",
    "established": "Established",
    "active": "Active",
    "concluded": "Concluded",
    "suspended": "Suspended",
}
# Allowed moves of the lifecycle (docs/architecture.md §3); a suspended team may resume.
TRANSITIONS = {
    "proposed": ("agreement_drafting", "established"),
    "agreement_drafting": ("established",),
    "established": ("active", "concluded", "suspended"),
    "active": ("concluded", "suspended"),
    "suspended": ("active", "concluded"),
    "concluded": (),
}
VICTIM_FIELDS = (
    "victims_female_adult",
    "victims_female_child",
    "victims_male_adult",
    "victims_male_child",
    "victims_other_adult",
    "victims_other_child",
)
OUTCOME_FIELDS = ("arrests", *VICTIM_FIELDS, "prosecutions_opened")
EVALUATION_FIELDS = (
    "results_achieved",
    "legal_issues",
    "practical_difficulties",
    "lessons_learned",
)

jit_mla_request = sa.Table(
    "jit_mla_request",
    db.metadata,
    sa.Column("jit_id", sa.ForeignKey("jit.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "mla_request_id", sa.ForeignKey("mla_request.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Jit(Audited, VersionedMixin, db.Model):
    __tablename__ = "jit"
    __audit_links__ = ("mla_requests",)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    type: Mapped[str] = mapped_column(choice(tuple(JIT_TYPES), "jit_type"))
    lead_country: Mapped[str] = mapped_column(sa.ForeignKey("country.iso3"))
    legal_basis: Mapped[str] = mapped_column(sa.ForeignKey("legal_basis.code"))
    status: Mapped[str] = mapped_column(choice(tuple(STATUS_LABELS), "jit_status"), index=True)
    agreement_signed: Mapped[date | None] = mapped_column(index=True)
    planned_end: Mapped[date | None]
    actual_end: Mapped[date | None]
    arrests: Mapped[int] = mapped_column(default=0)
    victims_female_adult: Mapped[int] = mapped_column(default=0)
    victims_female_child: Mapped[int] = mapped_column(default=0)
    victims_male_adult: Mapped[int] = mapped_column(default=0)
    victims_male_child: Mapped[int] = mapped_column(default=0)
    victims_other_adult: Mapped[int] = mapped_column(default=0)
    victims_other_child: Mapped[int] = mapped_column(default=0)
    assets_value: Mapped[Decimal | None] = mapped_column(sa.Numeric(16, 2))
    assets_currency: Mapped[str | None] = mapped_column(sa.String(3))
    prosecutions_opened: Mapped[int] = mapped_column(default=0)
    results_achieved: Mapped[str] = mapped_column(
        sa.Text, default="", info=limits.bounded(limits.LONG_TEXT)
    )
    legal_issues: Mapped[str] = mapped_column(
        sa.Text, default="", info=limits.bounded(limits.LONG_TEXT)
    )
    practical_difficulties: Mapped[str] = mapped_column(
        sa.Text, default="", info=limits.bounded(limits.LONG_TEXT)
    )
    lessons_learned: Mapped[str] = mapped_column(
        sa.Text, default="", info=limits.bounded(limits.LONG_TEXT)
    )

    members = relationship(
        "JitMember",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="JitMember.country_code",
    )
    extensions = relationship(
        "JitExtension", cascade="all, delete-orphan", order_by="JitExtension.date", lazy="selectin"
    )
    lead = relationship("Country", lazy="joined")
    basis = relationship("LegalBasis", lazy="joined")
    mla_requests = relationship("MlaRequest", secondary=jit_mla_request, lazy="selectin")

    @classmethod
    def in_countries(cls, countries):
        return cls.members.any(JitMember.country_code.in_(countries))

    @property
    def member_countries(self):
        return [m.country_code for m in self.members]

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def type_label(self):
        return JIT_TYPES[self.type]

    @property
    def current_end(self):
        """The latest extension's new end, else the planned end."""
        if self.extensions:
            return max(e.new_end for e in self.extensions)
        return self.planned_end

    @classmethod
    def current_end_clause(cls):
        """SQL: the latest extension's new end, else the planned end."""
        latest = (
            sa.select(sa.func.max(JitExtension.new_end))
            .where(JitExtension.jit_id == cls.id)
            .scalar_subquery()
        )
        return sa.func.coalesce(latest, cls.planned_end)

    def is_past_planned_end(self, today):
        """Its end (planned, or extended) has passed and no actual end is recorded."""
        end = self.current_end
        return (
            self.status != "concluded"
            and self.actual_end is None
            and end is not None
            and end < today
        )

    @property
    def past_planned_end(self):
        return self.is_past_planned_end(date.today())

    @classmethod
    def past_planned_end_clause(cls, today):
        """SQL for is_past_planned_end(); never NULL, so it can be negated."""
        end = cls.current_end_clause()
        return sa.and_(
            cls.status != "concluded", cls.actual_end.is_(None), end.is_not(None), end < today
        )

    @classmethod
    def active_clause(cls, today):
        """SQL: the team counts as active (docs/architecture.md §5): status active and not
        past its planned end."""
        return sa.and_(cls.status == "active", sa.not_(cls.past_planned_end_clause(today)))

    @property
    def victims_total(self):
        return sum(getattr(self, f) for f in VICTIM_FIELDS)


class JitMember(Audited, db.Model):
    __tablename__ = "jit_member"

    jit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("jit.id", ondelete="CASCADE"), primary_key=True
    )
    country_code: Mapped[str] = mapped_column(
        sa.ForeignKey("country.iso3"), primary_key=True, index=True
    )

    country = relationship("Country", lazy="joined")


class JitExtension(Audited, db.Model):
    __tablename__ = "jit_extension"

    id: Mapped[int] = mapped_column(primary_key=True)
    jit_id: Mapped[int] = mapped_column(sa.ForeignKey("jit.id", ondelete="CASCADE"), index=True)
    date: Mapped[date]
    new_end: Mapped[date]
    note: Mapped[str] = mapped_column(sa.Text, default="", info=limits.bounded(limits.NOTE))
