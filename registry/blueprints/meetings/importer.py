"""Meetings in and out of spreadsheets; a meeting is identified by its date and title."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from registry.blueprints.meetings import services
from registry.blueprints.meetings.models import MEETING_TYPES, Meeting
from registry.core.errors import ValidationFailed
from registry.core.importer import (
    Importer,
    compound_key,
    load_in_chunks,
    parse_day,
    parse_yes_no,
)
from registry.core.permissions import scoped
from registry.extensions import db

PARTICIPANTS = ("participants_female", "participants_male", "participants_other")
DETAILS = (
    "type",
    "venue",
    "host_country",
    *PARTICIPANTS,
    "counts_toward_2_6_1",
    "topics",
    "outcomes",
)


def _same(value, current):
    if isinstance(value, list):
        return sorted(value) == sorted(current)
    return str(value) == str(current)


class MeetingImporter(Importer):
    kind = "meetings"
    label = "Meetings"
    object_type = "Meeting"
    filename = "meetings"
    readers = services.READERS
    columns = {
        "date": "YYYY-MM-DD; with the title it identifies the meeting",
        "title": "The meeting's title; a row with a date and title already in the registry "
        "updates that meeting",
        "type": ", ".join(MEETING_TYPES),
        "countries": "ISO alpha-3 codes separated by ; (exactly two for police-to-police)",
        "host_country": "One of the countries (optional)",
        "venue": "Optional",
        **dict.fromkeys(PARTICIPANTS, "Whole number (default 0)"),
        "counts_toward_2_6_1": "yes or no; empty takes the default of the meeting's type",
        "topics": "Optional",
        "outcomes": "Optional",
        "open_action_items": "exported for information; ignored on import (agencies present "
        "and action items are kept as they are)",
    }
    required = ("date", "title", "type", "countries")

    def records(self, user, filters):
        return services.list_query(user, filters).options(selectinload(Meeting.action_items))

    def key(self, values):
        return compound_key(values.get("date", "")[:10], values.get("title"))

    def load(self, user, keys):
        pairs = {}
        for key in keys:
            day, _, title = key.partition(" ")
            errors = {}
            if on := parse_day({"date": day}, "date", errors):
                pairs[(on, title)] = key
        found = load_in_chunks(
            lambda some: db.session.scalars(
                scoped(sa.select(Meeting), user, Meeting).where(
                    sa.tuple_(Meeting.date, Meeting.title).in_(some)
                )
            ),
            pairs,
        )
        return {pairs[(m.date, m.title)]: m for m in found}

    def apply(self, actor, values, existing):
        errors = {}
        data = {
            "date": parse_day(values, "date", errors),
            "title": values.get("title"),
            "countries": [c.strip() for c in values["countries"].split(";") if c.strip()],
            "counts_toward_2_6_1": parse_yes_no(values, "counts_toward_2_6_1", errors),
            **{k: values.get(k) or None for k in DETAILS if k != "counts_toward_2_6_1"},
        }
        if errors:
            raise ValidationFailed("Row refused.", errors)
        if existing is None:
            services.create_meeting(actor, data)
            return "created"
        changes = {
            k: v for k, v in data.items() if v is not None and not _same(v, getattr(existing, k))
        }
        if not changes:
            return "unchanged"
        services.update_meeting(actor, existing, changes, existing.version, "bulk import")
        return "updated"

    @staticmethod
    def row(meeting):
        """A meeting as a row of the import columns."""
        return {
            "date": meeting.date,
            "title": meeting.title,
            "type": meeting.type,
            "countries": ";".join(sorted(meeting.countries)),
            "host_country": meeting.host_country,
            "venue": meeting.venue,
            **{k: getattr(meeting, k) for k in PARTICIPANTS},
            "counts_toward_2_6_1": "yes" if meeting.counts_toward_2_6_1 else "no",
            "topics": meeting.topics,
            "outcomes": meeting.outcomes,
            "open_action_items": sum(1 for i in meeting.action_items if i.status == "open"),
        }
