"""Mutual legal assistance requests and their status history."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core import limits
from registry.core.audit import Audited
from registry.core.columns import VersionedMixin, choice, utcnow
from registry.core.labels import LABELS
from registry.extensions import db

STATUS_LABELS = LABELS["mla_status"]
STATUSES = tuple(STATUS_LABELS)
# Awaiting an answer: these have an age and can be overdue.
PENDING = ("sent", "received", "acknowledged", "in_execution")
# A final response from the requested country: these have a turnaround (docs/architecture.md §5).
FINAL_RESPONSES = ("executed", "partially_executed", "refused")
# Closed without a final response: no turnaround, censored in the time to a final response.
ENDED = ("withdrawn", "lapsed")
CLOSED = (*FINAL_RESPONSES, *ENDED)

ASSISTANCE_TYPES = LABELS["assistance_type"]
CRIME_TYPES = LABELS["crime_type"]
CHANNELS = LABELS["channel"]
URGENCIES = LABELS["urgency"]
REFUSAL_GROUNDS = LABELS["refusal_ground"]


class MlaRequest(Audited, VersionedMixin, db.Model):
    __tablename__ = "mla_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A requesting country's own reference: unique per requesting country, so that a number
    # another country uses neither clashes nor reveals that request (docs/architecture.md §4).
    reference: Mapped[str] = mapped_column(sa.String(60))
    requesting_country: Mapped[str] = mapped_column(sa.ForeignKey("country.iso3"), index=True)
    requesting_authority_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"))
    requested_country: Mapped[str] = mapped_column(sa.ForeignKey("country.iso3"), index=True)
    requested_authority_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"))
    crime_type: Mapped[str] = mapped_column(choice(tuple(CRIME_TYPES), "mla_crime_type"))
    legal_basis: Mapped[str] = mapped_column(sa.ForeignKey("legal_basis.code"))
    channel: Mapped[str] = mapped_column(choice(tuple(CHANNELS), "mla_channel"))
    urgency: Mapped[str] = mapped_column(choice(tuple(URGENCIES), "mla_urgency"), default="routine")
    summary: Mapped[str] = mapped_column(sa.Text, default="", info=limits.bounded(limits.LONG_TEXT))
    # Kept by the transition service only, so lists and statistics filter on indexed columns
    # instead of searching the history of every request.
    status: Mapped[str] = mapped_column(choice(STATUSES, "mla_status"), index=True)
    date_sent: Mapped[date | None] = mapped_column(index=True)
    final_date: Mapped[date | None] = mapped_column(index=True)

    requesting = relationship("Country", foreign_keys=[requesting_country], lazy="joined")
    requested = relationship("Country", foreign_keys=[requested_country], lazy="joined")
    basis = relationship("LegalBasis", lazy="joined")
    requesting_authority = relationship("Agency", foreign_keys=[requesting_authority_id])
    requested_authority = relationship("Agency", foreign_keys=[requested_authority_id])
    assistance = relationship(
        "MlaAssistance",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="MlaAssistance.type",
    )
    history = relationship(
        "MlaStatusChange",
        cascade="all, delete-orphan",
        order_by="(MlaStatusChange.date, MlaStatusChange.id)",
        back_populates="request",
    )

    __table_args__ = (
        sa.CheckConstraint("requesting_country <> requested_country", name="different_countries"),
        sa.UniqueConstraint(
            "requesting_country", "reference", name="uq_mla_request_requesting_country_reference"
        ),
    )

    @classmethod
    def in_countries(cls, countries):
        return sa.or_(cls.requesting_country.in_(countries), cls.requested_country.in_(countries))

    @property
    def assistance_types(self):
        return [row.type for row in self.assistance]

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def channel_label(self):
        return CHANNELS[self.channel]

    @property
    def crime_label(self):
        return CRIME_TYPES[self.crime_type]

    @property
    def assistance_labels(self):
        return [ASSISTANCE_TYPES[t] for t in self.assistance_types]

    @property
    def is_pending(self):
        return self.status in PENDING

    def age_days(self, as_of):
        """Days since sending for a pending request, else None."""
        return (as_of - self.date_sent).days if self.is_pending and self.date_sent else None

    @property
    def turnaround_days(self):
        """Days from sending to the final response, else None."""
        if self.status in FINAL_RESPONSES and self.date_sent and self.final_date:
            return (self.final_date - self.date_sent).days
        return None


class MlaAssistance(Audited, db.Model):
    __tablename__ = "mla_assistance"

    mla_request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mla_request.id", ondelete="CASCADE"), primary_key=True
    )
    type: Mapped[str] = mapped_column(
        choice(tuple(ASSISTANCE_TYPES), "mla_assistance_type"), primary_key=True
    )


class MlaStatusChange(Audited, db.Model):
    __tablename__ = "mla_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    mla_request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("mla_request.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(choice(STATUSES, "mla_status"))
    date: Mapped[date]
    note: Mapped[str] = mapped_column(sa.Text, default="", info=limits.bounded(limits.NOTE))
    ground: Mapped[str | None] = mapped_column(choice(tuple(REFUSAL_GROUNDS), "refusal_ground"))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("app_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    request = relationship("MlaRequest", back_populates="history")
    actor = relationship("User", lazy="joined")

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]
