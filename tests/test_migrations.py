"""Migrations build exactly the models, on SQLite and PostgreSQL, and downgrade to nothing."""

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from registry.blueprints.indicators.compute import COMPUTE
from registry.blueprints.reference.data import ASEAN_MEMBERS
from registry.extensions import db
from tests.conftest import make_app
from tests.fixtures.services import POSTGRES_URL, require_postgres

LEGAL_BASIS_CODES = (
    *("asean_mlat", "untoc", "actip", "bilateral_treaty"),
    *("reciprocity", "domestic_law", "other"),
)
INDICATOR_CODES = ("2.3", "2.4.1", "2.5.1", "2.5.2", "2.6.1", "2.6.2")

# Named after the test database, so concurrent runs on other test databases do not collide.
MIGRATION_DB = POSTGRES_URL.rsplit("/", 1)[1] + "_migration_check"


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    require_postgres()
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {MIGRATION_DB} WITH (FORCE)"))
        conn.execute(sa.text(f"CREATE DATABASE {MIGRATION_DB}"))
    yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{MIGRATION_DB}"
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {MIGRATION_DB} WITH (FORCE)"))
    admin.dispose()


def test_upgrade_gives_exactly_the_models_and_downgrade_removes_them(empty_database_url):
    app = make_app(empty_database_url)
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == []
        flask_migrate.downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        db.engine.dispose()


def reference_rows(conn):
    return {
        "countries": conn.execute(
            sa.text("SELECT iso3, name, asean_member FROM country ORDER BY iso3")
        ).all(),
        "legal_bases": conn.execute(sa.text("SELECT code FROM legal_basis ORDER BY code")).all(),
        "indicators": conn.execute(
            sa.text("SELECT code, baseline_value FROM indicator ORDER BY code")
        ).all(),
        "audit": conn.scalar(sa.text("SELECT count(*) FROM audit_event")),
    }


def test_upgrade_leaves_reference_data_and_running_it_again_keeps_edits(empty_database_url):
    assert set(INDICATOR_CODES) == set(COMPUTE)  # every indicator the registry computes
    app = make_app(empty_database_url)
    with app.app_context():
        flask_migrate.upgrade(revision="heads")
        with db.engine.begin() as conn:
            rows = reference_rows(conn)
            assert [(iso3, name) for iso3, name, _member in rows["countries"]] == sorted(
                ASEAN_MEMBERS.items()
            )
            assert all(member for *_rest, member in rows["countries"])
            assert [code for (code,) in rows["legal_bases"]] == sorted(LEGAL_BASIS_CODES)
            assert [code for code, _ in rows["indicators"]] == list(INDICATOR_CODES)
            created = conn.execute(
                sa.text("SELECT object_type, count(*) FROM audit_event GROUP BY object_type")
            ).all()
            assert dict(created) == {"Country": 11, "LegalBasis": 7, "Indicator": 6}
            # An administrator renames a country and sets a baseline; one member goes missing.
            conn.execute(
                sa.text("UPDATE country SET name = 'Kingdom of Cambodia' WHERE iso3='KHM'")
            )
            conn.execute(sa.text("UPDATE indicator SET baseline_value = 4 WHERE code = '2.6.2'"))
            conn.execute(sa.text("DELETE FROM country WHERE iso3 = 'TLS'"))
            edited = reference_rows(conn)
        # Back to before the reference data (and the audit chain after it), then up again.
        flask_migrate.downgrade(revision="af6d1078fc02")
        flask_migrate.upgrade(revision="heads")
        with db.engine.connect() as conn:
            again = reference_rows(conn)
        db.engine.dispose()
    assert ("KHM", "Kingdom of Cambodia", True) in again["countries"]
    assert ("2.6.2", 4) in again["indicators"]
    assert ("TLS", "Timor-Leste", True) in again["countries"]  # only the missing row is back
    assert again["audit"] == edited["audit"] + 1
    assert len(again["countries"]) == 11 and again["legal_bases"] == edited["legal_bases"]


MLA_PER_COUNTRY = "868d5a7b449c"  # MLA reference unique per requesting country
REQUEST = (
    "INSERT INTO mla_request (id, reference, requesting_country, requested_country, crime_type,"
    " legal_basis, channel, urgency, summary, status, version, created_at, updated_at) VALUES"
    " (:id, :reference, :requesting, :requested, 'thb', 'asean_mlat', 'direct', 'routine', '',"
    " 'sent', 1, '2026-01-05', '2026-01-05')"
)


def mla_rows(conn):
    return [
        conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1, 2")).all()
        for table in ("mla_request", "mla_assistance", "mla_status_change")
    ]


def test_mla_reference_per_requesting_country_keeps_every_request_and_its_parts(
    empty_database_url, caplog
):
    """The table is rebuilt on SQLite: its assistance types and history (ON DELETE CASCADE)
    survive both ways; afterwards two countries may share a reference, which going back
    refuses to undo silently."""
    app = make_app(empty_database_url)
    with app.app_context():
        flask_migrate.upgrade(revision=f"{MLA_PER_COUNTRY}-1")
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(REQUEST),
                {"id": 1, "reference": "A/1", "requesting": "KHM", "requested": "THA"},
            )
            conn.execute(sa.text("INSERT INTO mla_assistance VALUES (1, 'evidence')"))
            conn.execute(
                sa.text(
                    "INSERT INTO mla_status_change (mla_request_id, status, date, note,"
                    " recorded_at) VALUES (1, 'sent', '2026-01-05', '', '2026-01-05')"
                )
            )
            before = mla_rows(conn)
        flask_migrate.upgrade(revision=MLA_PER_COUNTRY)
        with db.engine.begin() as conn:
            assert mla_rows(conn) == before
            conn.execute(
                sa.text(REQUEST),
                {"id": 2, "reference": "A/1", "requesting": "VNM", "requested": "THA"},
            )
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as conn:
            conn.execute(
                sa.text(REQUEST),
                {"id": 3, "reference": "A/1", "requesting": "KHM", "requested": "LAO"},
            )
        with pytest.raises(SystemExit):  # flask-migrate logs the error and exits 1
            flask_migrate.downgrade(revision=f"{MLA_PER_COUNTRY}-1")
        assert "several requesting countries use A/1" in caplog.text
        with db.engine.begin() as conn:
            conn.execute(sa.text("DELETE FROM mla_request WHERE id = 2"))
        flask_migrate.downgrade(revision=f"{MLA_PER_COUNTRY}-1")
        with db.engine.connect() as conn:
            assert mla_rows(conn) == before
        db.engine.dispose()
