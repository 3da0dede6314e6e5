"""Meetings (police-to-police, regional, SOMTC, national) and their action items."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core import limits
from registry.core.audit import Audited
from registry.core.columns import VersionedMixin, choice
from registry.extensions import db

MEETING_TYPES = {
    "police_to_police": "Police-to-police (bilateral)",
    "ctu_heads": "Heads of counter-trafficking units (regional)",
    "regional_dialogue": "Regional dialogue",
    "somtc": "SOMTC",
    "somtc_wg_tip": "SOMTC Working Group on Trafficking in Persons",
    "national_forum": "National forum",
    "other": "Other",
}
# Which types count toward indicator 2.6.1 unless the record says otherwise.
COUNTS_BY_DEFAULT = {"police_to_police", "ctu_heads", "regional_dialogue", "somtc", "somtc_wg_tip"}
# The meetings whose participating countries submit updates (and are reminded to).
REPORTING_TYPES = ("somtc", "somtc_wg_tip", "ctu_heads", "regional_dialogue")
ITEM_STATUSES = {"open": "Open", "done": "Done", "dropped": "Dropped"}

meeting_agency = sa.Table(
    "meeting_agency",
    db.metadata,
    sa.Column("meeting_id", sa.ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("agency_id", sa.ForeignKey("agency.id", ondelete="CASCADE"), primary_key=True),
)


class Meeting(Audited, VersionedMixin, db.Model):
    __tablename__ = "meeting"
    __audit_links__ = ("agencies",)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(choice(tuple(MEETING_TYPES), "meeting_type"), index=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    date: Mapped[dt.date] = mapped_column(index=True)
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    host_country: Mapped[str | None] = mapped_column(sa.ForeignKey("country.iso3"))
    participants_female: Mapped[int] = mapped_column(default=0)
    participants_male: Mapped[int] = mapped_column(default=0)
    participants_other: Mapped[int] = mapped_column(default=0)
    topics: Mapped[str] = mapped_column(sa.Text, default="", info=limits.bounded(limits.LONG_TEXT))
    outcomes: Mapped[str] = mapped_column(
        sa.Text, default="", info=limits.bounded(limits.LONG_TEXT)
    )
    counts_toward_2_6_1: Mapped[bool] = mapped_column(default=True)

    participations = relationship(
        "MeetingCountry",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="MeetingCountry.country_code",
    )
    agencies = relationship("Agency", secondary=meeting_agency, lazy="selectin")
    action_items = relationship(
        "ActionItem",
        cascade="all, delete-orphan",
        order_by="ActionItem.due_date",
        back_populates="meeting",
    )
    host = relationship("Country", lazy="joined")

    @classmethod
    def in_countries(cls, countries):
        return cls.participations.any(MeetingCountry.country_code.in_(countries))

    @property
    def countries(self):
        return [p.country_code for p in self.participations]

    @property
    def participants_total(self):
        return self.participants_female + self.participants_male + self.participants_other

    @property
    def type_label(self):
        return MEETING_TYPES[self.type]


class MeetingCountry(Audited, db.Model):
    __tablename__ = "meeting_country"

    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True
    )
    country_code: Mapped[str] = mapped_column(
        sa.ForeignKey("country.iso3"), primary_key=True, index=True
    )

    country = relationship("Country", lazy="joined")


class ActionItem(Audited, VersionedMixin, db.Model):
    __tablename__ = "action_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    owner_country: Mapped[str] = mapped_column(sa.ForeignKey("country.iso3"), index=True)
    description: Mapped[str] = mapped_column(sa.Text, info=limits.bounded(limits.NOTE))
    due_date: Mapped[dt.date | None] = mapped_column(index=True)
    status: Mapped[str] = mapped_column(
        choice(tuple(ITEM_STATUSES), "action_item_status"), default="open"
    )

    meeting = relationship("Meeting", back_populates="action_items", lazy="joined")
    owner = relationship("Country", lazy="joined")

    @classmethod
    def in_countries(cls, countries):
        return cls.meeting.has(Meeting.in_countries(countries))

    def is_overdue(self, today):
        return self.status == "open" and self.due_date is not None and self.due_date < today


UPDATE_STATUSES = {"draft": "Draft", "submitted": "Submitted"}
# The tracker's status of a participating country that has written nothing yet.
MISSING = "missing"
UPDATE_FIELDS = {
    "successes": "Successes",
    "challenges": "Challenges (difficulties encountered)",
    "next_steps": "Next steps (changes introduced or planned)",
    "proposed_actions": "Proposed actions for the meeting",
}
UPDATE_MAX_LENGTH = 4000


class CountryUpdate(Audited, VersionedMixin, db.Model):
    """A participating country's written update for a meeting; locked once submitted."""

    __tablename__ = "country_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    country_code: Mapped[str] = mapped_column(sa.ForeignKey("country.iso3"), index=True)
    successes: Mapped[str] = mapped_column(
        sa.Text, default="", info=limits.bounded(UPDATE_MAX_LENGTH)
    )
    challenges: Mapped[str] = mapped_column(
        sa.Text, default="", info=limits.bounded(UPDATE_MAX_LENGTH)
    )
    next_steps: Mapped[str] = mapped_column(
        sa.Text, default="", info=limits.bounded(UPDATE_MAX_LENGTH)
    )
    proposed_actions: Mapped[str] = mapped_column(
        sa.Text, default="", info=limits.bounded(UPDATE_MAX_LENGTH)
    )
    status: Mapped[str] = mapped_column(
        choice(tuple(UPDATE_STATUSES), "country_update_status"), default="draft"
    )
    submitted_at: Mapped[dt.datetime | None]
    # Set when UNODC or an administrator entered the update for the country.
    on_behalf_reason: Mapped[str | None] = mapped_column(sa.String(500))

    meeting = relationship("Meeting", lazy="joined")
    country = relationship("Country", lazy="joined")

    __table_args__ = (sa.UniqueConstraint("meeting_id", "country_code", name="one_per_country"),)

    @classmethod
    def in_countries(cls, countries):
        return cls.country_code.in_(countries)
