"""Meeting briefs: what was asked, how far the job got, and the finished PDF."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core import limits
from registry.core.audit import Audited
from registry.core.columns import choice, utcnow
from registry.extensions import db

STATUSES = ("queued", "running", "done", "failed")
MEETING_TYPES = {
    "somtc": "ASEAN Senior Officials Meeting on Transnational Crime (SOMTC)",
    "somtc_wg_tip": "SOMTC Working Group on Trafficking in Persons",
    "regional_dialogue": "Regional dialogue",
    "ctu_heads": "Meeting of heads of counter-trafficking units",
    "police_to_police": "Bilateral police-to-police meeting",
}
SECTIONS = {
    "summary": "Executive summary",
    "mla": "MLA requests and turnaround",
    "jits": "Joint investigation teams",
    "meetings": "Meetings and open action items",
    "training": "Training and capacity",
    "prosecutions": "Prosecutions and outcomes",
    "indicators": "Logframe indicators",
    "updates": "Country updates for the meeting",
    "workplan": "Work plan",
    "statistics": "National statistics as reported",
    "methodology": "Methodology annex",
}


class Brief(Audited, db.Model):
    __tablename__ = "brief"
    # The PDF bytes are not copied into the audit log; its SHA-256 is.
    __audit_ignore__ = (*Audited.__audit_ignore__, "pdf", "docx", "progress", "stage")

    id: Mapped[int] = mapped_column(primary_key=True)
    requested_by_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"), index=True)
    # Regenerating makes a new version of the same brief; earlier ones stay downloadable.
    series_id: Mapped[int | None] = mapped_column(index=True)
    version: Mapped[int] = mapped_column(default=1)
    meeting_id: Mapped[int | None] = mapped_column(sa.ForeignKey("meeting.id"))
    meeting_type: Mapped[str] = mapped_column(choice(tuple(MEETING_TYPES), "brief_meeting_type"))
    title: Mapped[str] = mapped_column(sa.String(300))
    meeting_date: Mapped[date | None]
    countries: Mapped[list] = mapped_column(sa.JSON)
    period_from: Mapped[date]
    period_to: Mapped[date]
    sections: Mapped[list] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(
        choice(STATUSES, "brief_status"), default="queued", index=True
    )
    progress: Mapped[int] = mapped_column(default=0)
    stage: Mapped[str] = mapped_column(sa.String(120), default="Waiting for a worker")
    error: Mapped[str | None] = mapped_column(sa.Text, info=limits.bounded(limits.SYSTEM_TEXT))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    data_as_of: Mapped[datetime | None]
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    size: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    # The editable copy, made by the same job from the same page.
    docx: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    docx_sha256: Mapped[str | None] = mapped_column(sa.String(64))

    requested_by = relationship("User", lazy="joined")
    meeting = relationship("Meeting", lazy="joined")

    def mark_failed(self, reason):
        self.status, self.error, self.pdf, self.docx = "failed", reason, None, None
        self.finished_at = utcnow()

    def mark_requeued(self, note):
        """The worker died mid-way; the job waits for its one more try."""
        self.status, self.progress, self.stage, self.error = "queued", 0, note[:120], note

    @property
    def seconds_taken(self):
        if self.started_at and self.finished_at:
            return round((self.finished_at - self.started_at).total_seconds(), 1)
        return None

    @property
    def meeting_type_label(self):
        return MEETING_TYPES[self.meeting_type]
