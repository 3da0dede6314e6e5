"""Configuration from REGISTRY_* variables and the production safety checks."""

import pytest

from registry import create_app
from registry.config import ConfigError


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("REGISTRY_ENV", "production")
    monkeypatch.delenv("REGISTRY_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="REGISTRY_SECRET_KEY"):
        create_app({"DATABASE_URL": "sqlite://"})


def test_production_sets_secure_cookies(monkeypatch):
    monkeypatch.setenv("REGISTRY_ENV", "production")
    monkeypatch.setenv("REGISTRY_SECRET_KEY", "x" * 48)
    app = create_app({"DATABASE_URL": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_environment_overrides_defaults(monkeypatch):
    monkeypatch.setenv("REGISTRY_DATABASE_URL", "postgresql://u@db.internal/registry")
    monkeypatch.setenv("REGISTRY_MLA_OVERDUE_DAYS", "60")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.internal/registry"
    assert app.config["MLA_OVERDUE_DAYS"] == 60


def test_default_database_is_a_sqlite_file_under_instance(monkeypatch):
    monkeypatch.delenv("REGISTRY_DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/registry.db")
