"""The country-scope helper restricts queries inside SQL."""

import sqlalchemy as sa

from registry.blueprints.reference.models import Agency
from registry.core.permissions import country_scope, scoped
from tests.factories import AgencyFactory


def test_scope_by_role(users):
    assert country_scope(users["focal_point"]) == {"KHM"}
    assert country_scope(users["official"]) == {"THA"}
    for role in ("admin", "unodc", "auditor"):
        assert country_scope(users[role]) is None


def test_scoped_query_returns_only_the_users_countries(users, session):
    AgencyFactory(country_code="KHM", name="k1")
    AgencyFactory(country_code="KHM", name="k2")
    AgencyFactory(country_code="THA", name="t1")
    stmt = scoped(sa.select(Agency.name).order_by(Agency.name), users["focal_point"], Agency)
    assert session.scalars(stmt).all() == ["k1", "k2"]
    count = scoped(sa.select(sa.func.count(Agency.id)), users["focal_point"], Agency)
    assert session.scalar(count) == 2
    assert "country_code IN" in str(stmt.compile()).replace("agency.", "")
    everything = scoped(sa.select(sa.func.count(Agency.id)), users["unodc"], Agency)
    assert session.scalar(everything) == 3
