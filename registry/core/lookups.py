"""Reference data the validators ask about: one query per question for a page, or read once
for a bulk import so that thousands of rows are checked by the same rules without a query each."""

import sqlalchemy as sa

from registry.extensions import db


class Lookups:
    """Answers from the database, one query per question."""

    def known_countries(self, codes):
        from registry.blueprints.reference.models import Country

        codes = sorted(set(codes))
        if not codes:
            return set()
        return set(db.session.scalars(sa.select(Country.iso3).where(Country.iso3.in_(codes))))

    def is_country(self, code):
        return bool(code) and code in self.known_countries([code])

    def is_legal_basis(self, code):
        from registry.blueprints.reference.models import LegalBasis

        return bool(code) and db.session.get(LegalBasis, code) is not None

    def agency_country(self, agency_id):
        """The country of an agency, or None when there is no such agency."""
        from registry.blueprints.reference.models import Agency

        agency = db.session.get(Agency, agency_id)
        return agency.country_code if agency is not None else None


class Preloaded(Lookups):
    """The same answers, read in three queries when a bulk import starts."""

    def __init__(self):
        from registry.blueprints.reference.models import Agency, Country, LegalBasis

        self.countries = set(db.session.scalars(sa.select(Country.iso3)))
        self.bases = set(db.session.scalars(sa.select(LegalBasis.code)))
        self.agencies = dict(db.session.execute(sa.select(Agency.id, Agency.country_code)).all())

    def known_countries(self, codes):
        return self.countries.intersection(codes)

    def is_legal_basis(self, code):
        return code in self.bases

    def agency_country(self, agency_id):
        return self.agencies.get(agency_id)


FROM_DATABASE = Lookups()
