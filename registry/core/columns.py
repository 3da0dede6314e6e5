"""Column types and mixins shared by every domain's models."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from registry.core.errors import Conflict, VersionMissing

SYSTEM = "system"  # the actor of seeding and migrations (same value as audit.SYSTEM)


def utcnow():
    """Return the current UTC time as a naive datetime (stored the same on every backend)."""
    return datetime.now(UTC).replace(tzinfo=None)


def choice(values, name):
    """A string column restricted to a fixed set of codes, checked by the database."""
    return sa.Enum(
        *values,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=max(len(v) for v in values),
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class VersionedMixin(TimestampMixin):
    """Optimistic locking: every update bumps version; a stale save is refused."""

    version: Mapped[int] = mapped_column(default=1)

    @declared_attr
    def updated_by_id(cls) -> Mapped[int | None]:
        return mapped_column(sa.ForeignKey("app_user.id"), nullable=True)

    @declared_attr
    def updated_by(cls):
        return relationship("User", foreign_keys=[cls.updated_by_id], lazy="select")

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.version}

    def check_version(self, expected):
        """Refuse a save based on an older version of this record, or on none (428)."""
        if expected is None or not str(expected).strip():
            raise VersionMissing()
        if str(expected).strip() != str(self.version):
            editor = self.updated_by.email if self.updated_by is not None else "someone else"
            when = self.updated_at.strftime("%Y-%m-%d %H:%M UTC") if self.updated_at else "?"
            raise Conflict(
                f"This record was changed by {editor} at {when} after you opened it. "
                "Reload the page to see the current values, then make your change again.",
                {"version": ["stale version"]},
            )

    def stamp(self, actor):
        """Remember who saved this version."""
        self.updated_by_id = None if actor == SYSTEM else actor.id
