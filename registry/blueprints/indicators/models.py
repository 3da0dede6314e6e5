"""The programme's criminal-justice logframe indicators: definitions, baselines and targets."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core import limits
from registry.core.audit import Audited
from registry.core.columns import VersionedMixin
from registry.extensions import db


class Indicator(Audited, VersionedMixin, db.Model):
    __tablename__ = "indicator"

    code: Mapped[str] = mapped_column(sa.String(10), primary_key=True)
    result: Mapped[str] = mapped_column(sa.String(300))
    text: Mapped[str] = mapped_column(sa.Text, info=limits.bounded(limits.LONG_TEXT))
    unit: Mapped[str] = mapped_column(sa.String(60))
    disaggregation: Mapped[str] = mapped_column(sa.String(120))
    by_sex: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(sa.Text, info=limits.bounded(limits.LONG_TEXT))
    definition: Mapped[str] = mapped_column(sa.Text, info=limits.bounded(limits.LONG_TEXT))
    position: Mapped[int] = mapped_column(default=0)
    # Empty while "to be defined at inception": shown as such, never as zero.
    baseline_value: Mapped[int | None]
    baseline_year: Mapped[int | None]

    targets = relationship(
        "IndicatorTarget",
        cascade="all, delete-orphan",
        order_by="IndicatorTarget.year",
        lazy="selectin",
    )


class IndicatorTarget(Audited, db.Model):
    __tablename__ = "indicator_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_code: Mapped[str] = mapped_column(sa.ForeignKey("indicator.code", ondelete="CASCADE"))
    year: Mapped[int]
    value: Mapped[int]

    __table_args__ = (sa.UniqueConstraint("indicator_code", "year", name="indicator_year"),)
