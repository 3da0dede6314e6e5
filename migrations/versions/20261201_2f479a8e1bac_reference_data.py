"""reference data: the ASEAN members, legal bases and logframe indicators

A fresh database is usable after `flask db upgrade`. The rows are a snapshot taken when this
migration was written (later edits to registry/*/data.py do not change what it does); rows
already present are kept as they are, so running it again, or on a database where an
administrator edited a name or a baseline, changes nothing. Each row it adds is audited as a
creation by "system".

Revision ID: 2f479a8e1bac
Revises: af6d1078fc02
Create Date: 2026-12-01 21:30:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '2f479a8e1bac'
down_revision = 'af6d1078fc02'
branch_labels = None
depends_on = None

REASON = "reference data (migration 2f479a8e1bac)"

# (iso3, iso2, name as ASEAN writes it, priority country of the programme)
COUNTRIES = [('BRN', 'BN', 'Brunei Darussalam', False),
 ('KHM', 'KH', 'Cambodia', True),
 ('IDN', 'ID', 'Indonesia', True),
 ('LAO', 'LA', 'Lao PDR', False),
 ('MYS', 'MY', 'Malaysia', True),
 ('MMR', 'MM', 'Myanmar', False),
 ('PHL', 'PH', 'Philippines', False),
 ('SGP', 'SG', 'Singapore', False),
 ('THA', 'TH', 'Thailand', True),
 ('TLS', 'TL', 'Timor-Leste', False),
 ('VNM', 'VN', 'Viet Nam', False)]

LEGAL_BASES = [('asean_mlat', 'ASEAN Treaty on Mutual Legal Assistance in Criminal Matters (2004)'),
 ('untoc', 'UN Convention against Transnational Organized Crime (2000), art. 18'),
 ('actip', 'ASEAN Convention against Trafficking in Persons (2015)'),
 ('bilateral_treaty', 'Bilateral treaty'),
 ('reciprocity', 'Reciprocity'),
 ('domestic_law', 'Domestic law'),
 ('other', 'Other')]

INDICATORS = [{'code': '2.3',
  'result': 'Outcome 2.3: Increased prosecution of trafficking in human beings and smuggling '
            'of migrants',
  'text': 'Number of cases related to trafficking in human beings and smuggling of migrants '
          'prosecuted by national institutions per year',
  'unit': 'cases',
  'disaggregation': 'country; crime type (THB, SOM)',
  'by_sex': False,
  'source': 'National government reporting; prosecution case records in this registry',
  'definition': 'Cases whose prosecution stage started in the period, per country; THB and SOM '
                'counted apart.'},
 {'code': '2.4.1',
  'result': 'Output 2.4: Strengthened capacity of law enforcement to detect and investigate '
            'trafficking and smuggling',
  'text': 'Number of government agencies demonstrating improved understanding of the '
          'difference between trafficking in persons and smuggling of migrants',
  'unit': 'agencies',
  'disaggregation': 'country',
  'by_sex': False,
  'source': 'Pre- and post-training tests',
  'definition': 'Agencies with at least one practitioner who improved in a training on THB vs '
                'SOM held in the period.'},
 {'code': '2.5.1',
  'result': 'Output 2.5: Strengthened capacity of diplomatic, consular and criminal justice '
            'practitioners in the trafficking in human beings and migrant smuggling process',
  'text': 'Number of diplomatic and consular staff with increased knowledge of new forms of '
          'trafficking and of assistance mechanisms',
  'unit': 'persons',
  'disaggregation': 'sex; country',
  'by_sex': True,
  'source': 'Pre- and post-training tests',
  'definition': 'Distinct diplomatic or consular practitioners who improved in a training held '
                'in the period.'},
 {'code': '2.5.2',
  'result': 'Output 2.5: Strengthened capacity of diplomatic, consular and criminal justice '
            'practitioners in the trafficking in human beings and migrant smuggling process',
  'text': 'Number of criminal justice practitioners demonstrating improved understanding of '
          'gender-sensitive and human-rights-based approaches when prosecuting',
  'unit': 'persons',
  'disaggregation': 'sex; country',
  'by_sex': True,
  'source': 'Pre- and post-training tests',
  'definition': 'Distinct police officers, investigators, prosecutors, judges and '
                'investigative judges who improved in a training held in the period.'},
 {'code': '2.6.1',
  'result': 'Output 2.6: Increased regional and international cooperation on trafficking and '
            'smuggling cases',
  'text': 'Number of dialogues and meetings increasing regional or international cooperation',
  'unit': 'meetings',
  'disaggregation': 'country',
  'by_sex': False,
  'source': 'Meeting records in this registry',
  'definition': 'Meetings held in the period that count toward regional or international '
                'cooperation.'},
 {'code': '2.6.2',
  'result': 'Output 2.6: Increased regional and international cooperation on trafficking and '
            'smuggling cases',
  'text': 'Number of joint investigations established',
  'unit': 'joint investigation teams',
  'disaggregation': 'member country',
  'by_sex': False,
  'source': 'Joint investigation team records in this registry',
  'definition': 'JITs whose agreement was signed in the period, per member country and in '
                'total (a JIT counts once in the total and once for each member).'}]

country = sa.table(
    "country",
    sa.column("iso3", sa.String),
    sa.column("iso2", sa.String),
    sa.column("name", sa.String),
    sa.column("asean_member", sa.Boolean),
    sa.column("priority", sa.Boolean),
)
legal_basis = sa.table(
    "legal_basis",
    sa.column("code", sa.String),
    sa.column("name", sa.String),
    sa.column("position", sa.Integer),
    sa.column("active", sa.Boolean),
)
indicator = sa.table(
    "indicator",
    *(sa.column(key) for key in INDICATORS[0]),
    sa.column("position", sa.Integer),
    sa.column("version", sa.Integer),
    sa.column("created_at", sa.DateTime),
    sa.column("updated_at", sa.DateTime),
)
audit_event = sa.table(
    "audit_event",
    sa.column("occurred_at", sa.DateTime),
    sa.column("actor_id", sa.Integer),
    sa.column("actor_label", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.String),
    sa.column("action", sa.String),
    sa.column("changes", sa.JSON),
    sa.column("reason", sa.Text),
)
BOOKKEEPING = ("version", "created_at", "updated_at")


def _insert(table, key, object_type, rows, now):
    """Add the rows whose key is not there yet, each with its audit event."""
    present = {value for (value,) in op.get_bind().execute(sa.select(table.c[key]))}
    rows = [row for row in rows if row[key] not in present]
    if not rows:
        return
    op.bulk_insert(table, rows)
    op.bulk_insert(
        audit_event,
        [
            {
                "occurred_at": now,
                "actor_id": None,
                "actor_label": "system",
                "object_type": object_type,
                "object_id": str(row[key]),
                "action": "create",
                "changes": {k: [None, v] for k, v in row.items() if k not in BOOKKEEPING},
                "reason": REASON,
            }
            for row in rows
        ],
    )


def upgrade():
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    countries = [
        {"iso3": iso3, "iso2": iso2, "name": name, "asean_member": True, "priority": priority}
        for iso3, iso2, name, priority in COUNTRIES
    ]
    _insert(country, "iso3", "Country", countries, now)
    bases = [
        {"code": code, "name": name, "position": position * 10, "active": True}
        for position, (code, name) in enumerate(LEGAL_BASES)
    ]
    _insert(legal_basis, "code", "LegalBasis", bases, now)
    indicators = [
        {**fields, "position": position, "version": 1, "created_at": now, "updated_at": now}
        for position, fields in enumerate(INDICATORS)
    ]
    _insert(indicator, "code", "Indicator", indicators, now)


def downgrade():
    # Reference rows are referenced by records and may have been edited since: going back one
    # step keeps them (the tables go with the earlier migrations' downgrades).
    pass
