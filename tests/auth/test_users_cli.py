"""flask --app wsgi users create ..."""

import sqlalchemy as sa

from registry.blueprints.auth.models import User


def run(app, *args):
    return app.test_cli_runner().invoke(args=["users", "create", *args])


def test_creates_focal_point_bound_to_country(app, session):
    result = run(
        app,
        "--email",
        "Focal.KH@Registry.example.org",
        "--password",
        "a long password",
        "--role",
        "focal_point",
        "--country",
        "khm",
    )
    assert result.exit_code == 0, result.output
    user = session.scalars(
        sa.select(User).where(User.email == "focal.kh@registry.example.org")
    ).one()
    assert (user.role, user.country_code) == ("focal_point", "KHM")
    assert user.password_hash.startswith("$argon2id$")


def test_refuses_focal_point_without_country(app, session):
    result = run(
        app,
        "--email",
        "f@registry.example.org",
        "--password",
        "a long password",
        "--role",
        "focal_point",
    )
    assert result.exit_code != 0
    assert "A focal point must be bound to one country." in result.output
    assert session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_refuses_bad_role_short_password_and_duplicate(app, session):
    assert (
        run(
            app, "--email", "a@registry.example.org", "--password", "x" * 12, "--role", "boss"
        ).exit_code
        != 0
    )
    short = run(app, "--email", "a@registry.example.org", "--password", "short", "--role", "unodc")
    assert "Use at least 12 characters." in short.output
    for weak in ("aaaaaaaaaaaa", "123456789012", "a@registry.example.org"):
        refused = run(
            app, "--email", "a@registry.example.org", "--password", weak, "--role", "unodc"
        )
        assert refused.exit_code != 0 and "Too easy to guess" in refused.output, weak
    strong = "tamarind ledger quietly"
    assert (
        run(
            app, "--email", "a@registry.example.org", "--password", strong, "--role", "unodc"
        ).exit_code
        == 0
    )
    again = run(app, "--email", "A@registry.example.org", "--password", strong, "--role", "unodc")
    assert "already exists" in again.output


def test_refuses_unknown_country(app, session):
    result = run(
        app,
        "--email",
        "z@registry.example.org",
        "--password",
        "x" * 12,
        "--role",
        "official",
        "--country",
        "XXX",
    )
    assert "Unknown country code" in result.output
