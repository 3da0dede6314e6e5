"""JSON shape of notifications (GET /api/v1/notifications)."""

import marshmallow as ma

from registry.blueprints.notifications.models import KINDS
from registry.blueprints.notifications.targets import KIND_TARGET, link
from registry.core.pagination import MAX_PAGE


class NotificationSchema(ma.Schema):
    id = ma.fields.Integer()
    kind = ma.fields.String(validate=ma.validate.OneOf(list(KINDS)))
    text = ma.fields.String()
    due_on = ma.fields.Date()
    created_at = ma.fields.DateTime()
    read_at = ma.fields.DateTime(allow_none=True)
    record_type = ma.fields.Function(lambda n: KIND_TARGET[n.kind])
    record_id = ma.fields.Integer(attribute="target_id")
    url = ma.fields.Function(link)


class NotificationListArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=MAX_PAGE))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=100))
    unread = ma.fields.Boolean(load_default=False)
