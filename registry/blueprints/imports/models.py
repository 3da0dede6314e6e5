"""Imports of large files, run by a worker: what was asked, how it ended, the row report."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core import limits
from registry.core.audit import Audited
from registry.core.columns import choice, utcnow
from registry.extensions import db

STATUSES = ("queued", "running", "done", "failed")


class ImportJob(Audited, db.Model):
    __tablename__ = "import_job"
    # The file is not copied into the audit log (it is deleted once the import ends).
    __audit_ignore__ = (*Audited.__audit_ignore__, "content", "report")

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))
    filename: Mapped[str] = mapped_column(sa.String(255))
    save: Mapped[bool]
    all_or_nothing: Mapped[bool]
    rows_total: Mapped[int]
    status: Mapped[str] = mapped_column(
        choice(STATUSES, "import_job_status"), default="queued", index=True
    )
    rq_id: Mapped[str | None] = mapped_column(sa.String(64))
    error: Mapped[str | None] = mapped_column(sa.Text, info=limits.bounded(limits.SYSTEM_TEXT))
    # {"summary": {...counts}, "refused": [{"line", "key", "errors"}]}
    report: Mapped[dict | None] = mapped_column(sa.JSON)
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    requested_by = relationship("User", lazy="joined")

    def mark_failed(self, reason):
        self.status, self.error, self.content = "failed", reason, None
        self.finished_at = utcnow()

    def mark_requeued(self, note):
        """The worker died mid-way (nothing was saved); the job waits for its one more try."""
        self.status, self.error = "queued", note
