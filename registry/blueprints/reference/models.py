"""Reference data: countries, agencies, legal bases."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.audit import Audited
from registry.core.columns import VersionedMixin, choice
from registry.extensions import db

AGENCY_TYPES = {
    "ctu": "Counter-trafficking unit",
    "police": "Police unit",
    "prosecution": "Prosecution service",
    "court": "Court",
    "central_authority": "Central authority for MLA",
    "immigration": "Immigration",
    "labour_inspection": "Labour inspection",
    "embassy_consulate": "Embassy or consulate",
    "financial_intelligence": "Financial intelligence unit",
    "cybercrime": "Cybercrime unit",
    "legal_aid": "Legal aid",
    "other": "Other",
}


class Country(Audited, db.Model):
    __tablename__ = "country"

    iso3: Mapped[str] = mapped_column(sa.String(3), primary_key=True)
    iso2: Mapped[str] = mapped_column(sa.String(2), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    asean_member: Mapped[bool] = mapped_column(default=False)
    priority: Mapped[bool] = mapped_column(default=False)


class Agency(Audited, VersionedMixin, db.Model):
    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    country_code: Mapped[str] = mapped_column(sa.ForeignKey("country.iso3"), index=True)
    name: Mapped[str] = mapped_column(sa.Unicode(300))
    name_en: Mapped[str] = mapped_column(sa.String(300), default="")
    type: Mapped[str] = mapped_column(choice(tuple(AGENCY_TYPES), "agency_type"))

    country = relationship("Country", lazy="joined")

    __table_args__ = (sa.UniqueConstraint("country_code", "name", name="country_name"),)

    @property
    def type_label(self):
        return AGENCY_TYPES[self.type]

    @classmethod
    def in_countries(cls, countries):
        return cls.country_code.in_(countries)


class LegalBasis(Audited, db.Model):
    __tablename__ = "legal_basis"

    code: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=100)
    active: Mapped[bool] = mapped_column(default=True)
