"""What each notification points at: the record's page, and who may still see that record."""

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import url_for

from registry.blueprints.jits import services as jits
from registry.blueprints.jits.models import Jit
from registry.blueprints.meetings import services as meetings
from registry.blueprints.meetings.models import Meeting
from registry.blueprints.mla import services as mla
from registry.blueprints.mla.models import MlaRequest
from registry.blueprints.notifications.models import Notification
from registry.blueprints.training import services as training
from registry.blueprints.training.models import Training
from registry.core.permissions import country_scope
from registry.core.roles import CASE_READERS


@dataclass(frozen=True)
class Target:
    model: type
    endpoint: str
    argument: str
    can_view: Callable


TARGETS = {
    "mla_request": Target(MlaRequest, "mla.detail", "request_id", mla.can_view),
    "jit": Target(Jit, "jits.detail", "jit_id", jits.can_view),
    "meeting": Target(Meeting, "meetings.detail", "meeting_id", meetings.can_view),
    "training": Target(Training, "training.detail", "training_id", training.can_view_training),
}
# The record each kind of notification links to (an action item's is its meeting).
KIND_TARGET = {
    "mla_unacknowledged": "mla_request",
    "mla_unanswered": "mla_request",
    "jit_ending": "jit",
    "jit_past_end": "jit",
    "action_item_due": "meeting",
    "action_item_overdue": "meeting",
    "training_post_test": "training",
    "country_update_missing": "meeting",
}


def target_of(kind):
    return TARGETS[KIND_TARGET[kind]]


def endpoint_of(notification):
    """The page of the notification's record: (endpoint, its URL values)."""
    target = target_of(notification.kind)
    return target.endpoint, {target.argument: notification.target_id}


def link(notification):
    endpoint, values = endpoint_of(notification)
    return url_for(endpoint, **values)


def visible_clause(user):
    """SQL: notifications about records the user may (still) see, by the records' own scope
    rules; one whose record moved out of the user's sight is no longer shown."""
    if user.role not in CASE_READERS:
        return sa.false()
    countries = country_scope(user)
    if countries is None:
        return sa.true()
    return sa.or_(
        *(
            sa.and_(
                Notification.kind.in_([k for k, t in KIND_TARGET.items() if t == name]),
                Notification.target_id.in_(
                    sa.select(target.model.id).where(target.model.in_countries(countries))
                ),
            )
            for name, target in TARGETS.items()
        )
    )
