"""The audit trail proves itself: each event is sealed, in order, to the one before it.

An event's seal is HMAC-SHA256, keyed with AUDIT_KEY (SECRET_KEY when unset), over the previous
event's seal and the event's canonical content (its fields as sorted, compact JSON). Rewriting an
event breaks its seal; deleting one, or inserting one out of turn, breaks the next event's link;
a forged event cannot be sealed without the key, which is not in the database. Emptying the
table or cutting its end is caught by the checkpoints `verify` leaves: the last intact head must
still be there. Sealing takes a transaction lock on PostgreSQL, so writers append one at a time.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from registry.core import limits
from registry.core.columns import utcnow
from registry.extensions import db

GENESIS = "0" * 64
SEALED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "object_type",
    "object_id",
    "action",
    "changes",
    "reason",
)
CHAIN_LOCK = 4_200_042  # pg_advisory_xact_lock key held while an event is sealed
# Servers' clocks may differ a little; an event older than its predecessor by more is back-dated.
CLOCK_SKEW = timedelta(minutes=5)


class AuditCheckpoint(db.Model):
    """The result of each check of the chain, and the head it found intact."""

    __tablename__ = "audit_checkpoint"

    id: Mapped[int] = mapped_column(primary_key=True)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    ok: Mapped[bool]
    events: Mapped[int]
    head_seq: Mapped[int | None]
    head_hash: Mapped[str | None] = mapped_column(sa.String(64))
    message: Mapped[str] = mapped_column(sa.Text, info=limits.bounded(limits.SYSTEM_TEXT))


def key():
    configured = current_app.config.get("AUDIT_KEY") or current_app.config["SECRET_KEY"]
    return configured.encode("utf-8")


def canonical(event):
    body = {field: event[field] for field in SEALED_FIELDS}
    when = body["occurred_at"]
    body["occurred_at"] = when.isoformat(timespec="microseconds") if when else None
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def seal(secret, previous, event):
    message = previous.encode("ascii") + b"\n" + canonical(event).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def seal_all(connection, table, events):
    """Give the events (dicts) their place at the end of the chain and their seals."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHAIN_LOCK})
    head = connection.execute(
        sa.select(table.c.seq, table.c.hash).order_by(table.c.seq.desc()).limit(1)
    ).first()
    seq, previous = (head.seq, head.hash) if head and head.seq else (0, GENESIS)
    secret = key()
    now = utcnow()
    for event in events:
        seq += 1
        event.update(seq=seq, occurred_at=event.get("occurred_at") or now, prev_hash=previous)
        event["hash"] = previous = seal(secret, previous, event)
    return events


@dataclass
class Verdict:
    ok: bool
    events: int
    message: str
    head_seq: int | None = None
    head_hash: str | None = None


def verify(connection, table):
    """Walk the whole chain in order; the first break found is the verdict."""
    secret = key()
    unsealed = connection.execute(
        sa.select(table.c.id).where(table.c.seq.is_(None)).order_by(table.c.id).limit(1)
    ).scalar()
    if unsealed is not None:
        return Verdict(False, 0, f"event #{unsealed} has no seal: written behind the app's back")
    rows = connection.execute(
        sa.select(table).order_by(table.c.seq).execution_options(yield_per=2000)
    )
    try:
        broken, count, previous = _walk(secret, rows.mappings())
    finally:
        rows.close()  # a server-side cursor on PostgreSQL
    if broken:
        return Verdict(False, count, broken)
    if count == 0:
        return Verdict(False, 0, "the audit trail is empty: it was emptied (truncated)")
    checkpoint = connection.execute(
        sa.select(AuditCheckpoint.head_seq, AuditCheckpoint.head_hash)
        .where(AuditCheckpoint.ok.is_(True))
        .order_by(AuditCheckpoint.id.desc())
        .limit(1)
    ).first()
    if checkpoint and (checkpoint.head_seq > count or _hash_at(connection, table, checkpoint)):
        return Verdict(
            False,
            count,
            f"events up to position {checkpoint.head_seq}, seen intact before, are gone "
            f"(the trail now ends at position {count})",
        )
    return Verdict(True, count, f"intact: {count} events", count, previous)


def _walk(secret, events):
    """(the first break or None, events intact before it, the last intact seal)."""
    expected, previous, last_time, count = 1, GENESIS, None, 0
    for event in events:
        where = f"event #{event['id']} (position {event['seq']})"
        if event["seq"] != expected:
            missing = "missing" if event["seq"] > expected else "repeated"
            return f"{where}: position {expected} is {missing}", count, previous
        if event["prev_hash"] != previous:
            return f"{where}: not linked to the event before it", count, previous
        if seal(secret, previous, event) != event["hash"]:
            return f"{where}: its content was changed after it was written", count, previous
        if last_time and event["occurred_at"] < last_time - CLOCK_SKEW:
            return f"{where}: dated before the event before it", count, previous
        expected, previous, last_time = expected + 1, event["hash"], event["occurred_at"]
        count += 1
    return None, count, previous


def _hash_at(connection, table, checkpoint):
    """True when the event at the checkpoint's position no longer carries the seal seen there."""
    found = connection.execute(
        sa.select(table.c.hash).where(table.c.seq == checkpoint.head_seq)
    ).scalar()
    return found != checkpoint.head_hash


def verify_and_record(table):
    """Check the chain and keep the verdict as a checkpoint (shown to admins and auditors)."""
    verdict = verify(db.session.connection(), table)
    db.session.add(
        AuditCheckpoint(
            ok=verdict.ok,
            events=verdict.events,
            head_seq=verdict.head_seq,
            head_hash=verdict.head_hash,
            message=verdict.message,
        )
    )
    db.session.commit()
    return verdict


def last_check():
    return db.session.scalars(
        sa.select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)
    ).first()
