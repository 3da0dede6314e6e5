"""seed-demo: realistic, idempotent, labelled synthetic; each demo account sees its scope."""

import sqlalchemy as sa

from registry.blueprints.auth.demo import DEMO_PASSWORD, DEMO_USERS
from registry.blueprints.auth.models import User
from registry.blueprints.reference.data import ASEAN_MEMBERS
from registry.blueprints.reference.models import AGENCY_TYPES, Agency


def counts(session):
    return tuple(session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Agency, User))


def test_seed_twice_adds_nothing_the_second_time(app, session):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo", "--scale", "small", "--seed", "7"])
    assert first.exit_code == 0 and "synthetic" in first.output
    after_first = counts(session)
    runner.invoke(args=["seed-demo"])
    assert (
        counts(session) == after_first == (len(ASEAN_MEMBERS) * len(AGENCY_TYPES), len(DEMO_USERS))
    )


def test_demo_has_every_agency_type_in_every_member_and_local_scripts(app, session):
    app.test_cli_runner().invoke(args=["seed-demo"])
    pairs = set(session.execute(sa.select(Agency.country_code, Agency.type)))
    assert pairs == {(c, t) for c in ASEAN_MEMBERS for t in AGENCY_TYPES}
    names = " ".join(session.scalars(sa.select(Agency.name)))
    for sample in (
        "\u0e01",
        "\u1780",
        "\u0e81",
        "\u1000",
        "ả",
    ):  # Thai, Khmer, Lao, Burmese, Vietnamese
        assert sample in names


def test_each_demo_account_signs_in_and_sees_its_scope(app, session, monkeypatch):
    # As `make demo` runs it: the second factor off (REGISTRY_REQUIRE_2FA_ROLES empty).
    monkeypatch.setitem(app.config, "REQUIRE_2FA_ROLES", "")
    app.test_cli_runner().invoke(args=["seed-demo"])
    for email, role, _country, _name in DEMO_USERS:
        client = app.test_client()
        response = client.post("/auth/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        home = client.get("/dashboard/").get_data(as_text=True)
        assert "Synthetic demo data" in home
        if role == "focal_point":
            assert "at a glance" in home
        if role in ("admin", "unodc", "auditor"):
            assert "All countries (regional)" in home


def test_demo_account_listing(app):
    output = app.test_cli_runner().invoke(args=["demo-accounts"]).output
    for email, *_ in DEMO_USERS:
        assert email in output
    assert DEMO_PASSWORD in output


def test_seed_demo_refuses_to_run_in_production(app, session):
    before = counts(session)
    app.config["ENV"] = "production"
    try:
        refused = app.test_cli_runner().invoke(args=["seed-demo"])
    finally:
        app.config["ENV"] = "development"
    assert refused.exit_code != 0
    assert "refuses to run when REGISTRY_ENV=production" in refused.output
    assert counts(session) == before
