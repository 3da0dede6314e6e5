"""Work-plan items (e.g. of the SOMTC work plan on trafficking in persons) and the dated
history of their status."""

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core import limits
from registry.core.audit import Audited
from registry.core.columns import VersionedMixin, choice
from registry.extensions import db

STATUSES = {
    "planned": "Planned",
    "on_going": "On-going",
    "completed": "Completed",
    "recurring": "Recurring",
    "on_hold": "On hold",
}


class WorkPlanItem(Audited, VersionedMixin, db.Model):
    __tablename__ = "work_plan_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    work_plan: Mapped[str] = mapped_column(sa.String(200), index=True)
    title: Mapped[str] = mapped_column(sa.String(500))
    lead: Mapped[str] = mapped_column(sa.String(200))  # a country or a body, as written
    supporting: Mapped[str] = mapped_column(sa.String(500), default="")
    timeline: Mapped[str] = mapped_column(sa.String(100), default="")  # as written
    # The years the timeline names (none for "Annual" or "Continuous").
    year_from: Mapped[int | None]
    year_to: Mapped[int | None]
    indicative_budget: Mapped[str] = mapped_column(sa.String(100), default="")
    status: Mapped[str] = mapped_column(choice(tuple(STATUSES), "work_plan_status"), index=True)
    status_date: Mapped[dt.date]
    narrative: Mapped[str] = mapped_column(sa.Text, default="", info=limits.bounded(8000))

    history = relationship(
        "WorkPlanStatusChange",
        cascade="all, delete-orphan",
        order_by="(WorkPlanStatusChange.date, WorkPlanStatusChange.id)",
        lazy="selectin",
    )

    @property
    def status_label(self):
        return STATUSES[self.status]


class WorkPlanStatusChange(Audited, db.Model):
    __tablename__ = "work_plan_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("work_plan_item.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(choice(tuple(STATUSES), "work_plan_status"))
    date: Mapped[dt.date]
    note: Mapped[str] = mapped_column(sa.String(1000), default="")
