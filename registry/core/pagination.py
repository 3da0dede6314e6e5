"""Paginate a select with one count query and one page query."""

from dataclasses import dataclass

import sqlalchemy as sa

from registry.core.errors import ValidationFailed
from registry.extensions import db

MAX_PER_PAGE = 100
# Far past any real list; a larger page number is refused rather than sent to the database.
MAX_PAGE = 100_000


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages


def paginate(stmt, page=1, per_page=50):
    """Return one page of the select's rows (ORM entities) and the total."""
    page = max(1, int(page or 1))
    if page > MAX_PAGE:
        message = f"Give a page number from 1 to {MAX_PAGE}."
        raise ValidationFailed(message, {"page": [message]})
    per_page = min(MAX_PER_PAGE, max(1, int(per_page or 50)))
    total = db.session.scalar(
        sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())
    )
    items = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(items=list(items), total=total or 0, page=page, per_page=per_page)
