"""Central-authority directory: where a country takes MLA requests and what they must contain."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core import limits
from registry.core.audit import Audited
from registry.core.columns import VersionedMixin, choice
from registry.core.labels import LABELS
from registry.extensions import db

ROLES = LABELS["authority_role"]
CHANNELS = LABELS["channel"]
ASSISTANCE_TYPES = LABELS["assistance_type"]
LANGUAGES = LABELS["language"]


class Authority(Audited, VersionedMixin, db.Model):
    """A country's central authority for MLA, or another authority competent to receive."""

    __tablename__ = "authority"

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(sa.ForeignKey("country.iso3"), index=True)
    role: Mapped[str] = mapped_column(choice(tuple(ROLES), "authority_role"))
    name: Mapped[str] = mapped_column(sa.Unicode(300))  # in the local script
    name_en: Mapped[str] = mapped_column(sa.String(300), default="")
    address: Mapped[str] = mapped_column(
        sa.UnicodeText, default="", info=limits.bounded(limits.SHORT_NOTE)
    )
    channel: Mapped[str] = mapped_column(choice(tuple(CHANNELS), "authority_channel"))
    # Language codes of the label catalogue, comma-separated, in order of preference.
    languages: Mapped[str] = mapped_column(sa.String(100), default="en")
    contact: Mapped[str] = mapped_column(
        sa.UnicodeText, default="", info=limits.bounded(limits.SHORT_NOTE)
    )
    notes: Mapped[str] = mapped_column(sa.UnicodeText, default="", info=limits.bounded(limits.NOTE))

    country = relationship("Country", lazy="joined")

    @property
    def language_codes(self):
        return [code for code in self.languages.split(",") if code]

    @classmethod
    def in_countries(cls, countries):
        return cls.country_code.in_(countries)


class Requirement(Audited, VersionedMixin, db.Model):
    """What a request for one type of assistance to one country must contain."""

    __tablename__ = "mla_requirement"

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(sa.ForeignKey("country.iso3"), index=True)
    assistance_type: Mapped[str] = mapped_column(
        choice(tuple(ASSISTANCE_TYPES), "requirement_assistance_type")
    )
    must_contain: Mapped[str] = mapped_column(sa.UnicodeText, info=limits.bounded(limits.LONG_TEXT))
    translation: Mapped[str] = mapped_column(
        sa.UnicodeText, default="", info=limits.bounded(limits.SHORT_NOTE)
    )
    typical_days: Mapped[int | None]
    notes: Mapped[str] = mapped_column(sa.UnicodeText, default="", info=limits.bounded(limits.NOTE))

    __table_args__ = (
        sa.UniqueConstraint("country_code", "assistance_type", name="country_type"),
        sa.CheckConstraint("typical_days IS NULL OR typical_days > 0", name="typical_days"),
    )

    @classmethod
    def in_countries(cls, countries):
        return cls.country_code.in_(countries)
