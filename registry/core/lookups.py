"""Reference data the validators ask about: one query per question for a page, or read once
for a bulk import so that thousands of rows are checked by the same rules without a query each.

The kernel names the three reference tables it reads (countries, legal bases, agencies) as plain
table constructs, so it needs none of the reference domain's models; the column names are part
of the stable schema (migrations create them)."""

import sqlalchemy as sa

from registry.core.input_guard import MAX_ID
from registry.extensions import db

COUNTRY = sa.table("country", sa.column("iso3"))
LEGAL_BASIS = sa.table("legal_basis", sa.column("code"))
AGENCY = sa.table("agency", sa.column("id"), sa.column("country_code"))


class Lookups:
    """Answers from the database, one query per question."""

    def known_countries(self, codes):
        codes = sorted(set(codes))
        if not codes:
            return set()
        query = sa.select(COUNTRY.c.iso3).where(COUNTRY.c.iso3.in_(codes))
        return set(db.session.scalars(query))

    def is_country(self, code):
        return bool(code) and code in self.known_countries([code])

    def is_legal_basis(self, code):
        if not code:
            return False
        query = sa.select(LEGAL_BASIS.c.code).where(LEGAL_BASIS.c.code == code)
        return db.session.scalar(query) is not None

    def agency_country(self, agency_id):
        """The country of an agency, or None when there is no such agency (an id larger than the
        database stores names none)."""
        if not isinstance(agency_id, int) or not 0 < agency_id <= MAX_ID:
            return None
        query = sa.select(AGENCY.c.country_code).where(AGENCY.c.id == agency_id)
        return db.session.scalar(query)


class Preloaded(Lookups):
    """The same answers, read in three queries when a bulk import starts."""

    def __init__(self):
        self.countries = set(db.session.scalars(sa.select(COUNTRY.c.iso3)))
        self.bases = set(db.session.scalars(sa.select(LEGAL_BASIS.c.code)))
        self.agencies = dict(
            db.session.execute(sa.select(AGENCY.c.id, AGENCY.c.country_code)).all()
        )

    def known_countries(self, codes):
        return self.countries.intersection(codes)

    def is_legal_basis(self, code):
        return code in self.bases

    def agency_country(self, agency_id):
        return self.agencies.get(agency_id)


FROM_DATABASE = Lookups()
