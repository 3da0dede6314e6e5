"""Trainings, the practitioners who attend them, and their pre/post-test scores."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from registry.core.audit import Audited
from registry.core.columns import VersionedMixin, choice, utcnow
from registry.extensions import db

TOPICS = {
    "detection_investigation": "Detection and investigation",
    "osint": "Open-source intelligence (OSINT)",
    "cryptocurrency_darknet": "Cryptocurrency and darknet",
    "digital_evidence": "Digital evidence",
    "victim_identification": "Victim identification and screening",
    "thb_vs_som": "Trafficking vs smuggling (THB vs SOM)",
    "non_punishment": "Non-punishment principle",
    "gender_sensitive_prosecution": "Gender-sensitive prosecution",
    "legal_aid": "Legal aid and compensation",
    "corruption": "Corruption along the justice chain",
    "child_protection": "Child protection",
}
MODALITIES = {"in_person": "In person", "online": "Online", "blended": "Blended"}
SEXES = {"female": "Female", "male": "Male", "other_or_unknown": "Other or unknown"}
ROLE_TYPES = {
    "police": "Police",
    "investigator": "Investigator",
    "prosecutor": "Prosecutor",
    "judge": "Judge",
    "investigative_judge": "Investigative judge",
    "diplomatic_consular": "Diplomatic or consular",
    "immigration": "Immigration",
    "labour_inspector": "Labour inspector",
    "social_worker": "Social worker",
    "legal_aid": "Legal aid",
    "other": "Other",
}
# Criminal justice practitioners of indicator 2.5.2.
CRIMINAL_JUSTICE_ROLES = ("police", "investigator", "prosecutor", "judge", "investigative_judge")


def name_key(name):
    """The form of a name used to spot duplicates: case and spacing ignored."""
    return " ".join((name or "").split()).casefold()


class Training(Audited, VersionedMixin, db.Model):
    __tablename__ = "training"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    activity_code: Mapped[str] = mapped_column(sa.String(20), default="")
    country: Mapped[str] = mapped_column(sa.ForeignKey("country.iso3"), index=True)
    start_date: Mapped[date] = mapped_column(index=True)
    end_date: Mapped[date]
    modality: Mapped[str] = mapped_column(choice(tuple(MODALITIES), "training_modality"))
    hours: Mapped[int] = mapped_column(default=0)
    organiser: Mapped[str] = mapped_column(sa.String(200), default="")

    topic_rows = relationship("TrainingTopic", cascade="all, delete-orphan", lazy="selectin")
    country_ref = relationship("Country", lazy="joined")
    participations = relationship(
        "Participation", back_populates="training", cascade="all, delete-orphan"
    )

    @classmethod
    def in_countries(cls, countries):
        return cls.country.in_(countries)

    @property
    def topics(self):
        return sorted(row.topic for row in self.topic_rows)


class TrainingTopic(Audited, db.Model):
    __tablename__ = "training_topic"

    training_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(
        choice(tuple(TOPICS), "training_topic"), primary_key=True, index=True
    )


class Practitioner(Audited, VersionedMixin, db.Model):
    __tablename__ = "practitioner"
    # Names are personal data: the audit log records that they changed, not what they are.
    __audit_redact__ = ("name", "name_key")

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.Unicode(200))
    name_key: Mapped[str] = mapped_column(sa.Unicode(200), index=True)
    sex: Mapped[str] = mapped_column(choice(tuple(SEXES), "sex"))
    country: Mapped[str] = mapped_column(sa.ForeignKey("country.iso3"), index=True)
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"), index=True)
    role_type: Mapped[str] = mapped_column(choice(tuple(ROLE_TYPES), "role_type"))

    agency = relationship("Agency", lazy="joined")
    country_ref = relationship("Country", lazy="joined")

    @classmethod
    def in_countries(cls, countries):
        return cls.country.in_(countries)


class Participation(Audited, VersionedMixin, db.Model):
    __tablename__ = "participation"

    id: Mapped[int] = mapped_column(primary_key=True)
    practitioner_id: Mapped[int] = mapped_column(sa.ForeignKey("practitioner.id"), index=True)
    training_id: Mapped[int] = mapped_column(
        sa.ForeignKey("training.id", ondelete="CASCADE"), index=True
    )
    pre_score: Mapped[int | None]
    post_score: Mapped[int | None]
    completed: Mapped[bool] = mapped_column(default=False)

    practitioner = relationship("Practitioner", lazy="joined")
    training = relationship("Training", back_populates="participations", lazy="joined")

    __table_args__ = (
        sa.UniqueConstraint("practitioner_id", "training_id", name="practitioner_training"),
        sa.CheckConstraint("pre_score IS NULL OR pre_score BETWEEN 0 AND 100", name="pre_range"),
        sa.CheckConstraint("post_score IS NULL OR post_score BETWEEN 0 AND 100", name="post_range"),
    )

    @classmethod
    def in_countries(cls, countries):
        return sa.or_(
            cls.training.has(Training.country.in_(countries)),
            cls.practitioner.has(Practitioner.country.in_(countries)),
        )

    @classmethod
    def improved_clause(cls, threshold):
        """SQL: post-test minus pre-test reaches the threshold (docs/architecture.md §5)."""
        return sa.and_(
            cls.pre_score.is_not(None),
            cls.post_score.is_not(None),
            cls.post_score - cls.pre_score >= threshold,
        )

    @property
    def gain(self):
        if self.pre_score is None or self.post_score is None:
            return None
        return self.post_score - self.pre_score

    def improved(self, threshold):
        return self.gain is not None and self.gain >= threshold


class ParticipantUpload(db.Model):
    """A participant list waiting for confirmation (kept in the database, not in memory)."""

    __tablename__ = "participant_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(sa.ForeignKey("training.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("app_user.id"))
    filename: Mapped[str] = mapped_column(sa.String(255))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
