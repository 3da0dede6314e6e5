"""Thresholds an administrator can change at run time; defaults come from the configuration."""

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from registry.core.audit import Audited
from registry.extensions import db

# key -> (label, minimum, maximum)
ADJUSTABLE = {
    "MLA_OVERDUE_DAYS": ("Days after which a pending MLA request is overdue", 1, 3650),
    "IMPROVEMENT_THRESHOLD": ("Post-test minus pre-test points that count as improved", 1, 100),
    "MLA_ACK_REMINDER_DAYS": ("Days after which an unacknowledged MLA request is reminded", 1, 365),
    "MLA_URGENT_OVERDUE_DAYS": (
        "Days after which an unanswered urgent MLA request is reminded",
        1,
        3650,
    ),
    "JIT_END_REMINDER_DAYS": (
        "Days before a JIT's planned end that its members are reminded",
        1,
        365,
    ),
    "ACTION_ITEM_REMINDER_DAYS": (
        "Days before an action item's due date that its owner is reminded",
        1,
        365,
    ),
    "POST_TEST_REMINDER_DAYS": (
        "Days after a training's end that missing post-tests are reminded",
        1,
        365,
    ),
    "COUNTRY_UPDATE_REMINDER_DAYS": (
        "Days before a meeting that countries without a submitted update are reminded",
        1,
        365,
    ),
}


class Setting(Audited, db.Model):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[int]


# Present once seed-demo has loaded the synthetic data set (pages then say so in a banner).
DEMO_MARKER = "DEMO_DATA_SEED"


def is_demo():
    """True when the database holds the synthetic demo data set."""
    return db.session.get(Setting, DEMO_MARKER) is not None


def get(key):
    """Return the stored value of an adjustable setting, or its configured default."""
    row = db.session.get(Setting, key)
    return row.value if row is not None else int(current_app.config[key])


def current_values():
    return {key: get(key) for key in ADJUSTABLE}
