"""audit chain: every audit event sealed to the one before it; checkpoints of each check

Adds seq, prev_hash and hash to audit_event and seals the events already there in the order
they were written (by id), with the running app's AUDIT_KEY (SECRET_KEY when unset): keep that
key when the app is deployed. Adds audit_checkpoint for the results of `flask audit verify`.

Revision ID: 7c1d2e3f4a5b
Revises: 2f479a8e1bac
Create Date: 2026-12-01 23:40:00

"""
from alembic import op
import sqlalchemy as sa

from registry.core.audit_chain import GENESIS, key, seal


revision = '7c1d2e3f4a5b'
down_revision = '2f479a8e1bac'
branch_labels = None
depends_on = None

FIELDS = ("id", "occurred_at", "actor_id", "actor_label", "object_type", "object_id",
          "action", "changes", "reason")
audit_event = sa.table(
    "audit_event",
    sa.column("id", sa.Integer),
    sa.column("occurred_at", sa.DateTime),
    sa.column("actor_id", sa.Integer),
    sa.column("actor_label", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.String),
    sa.column("action", sa.String),
    sa.column("changes", sa.JSON),
    sa.column("reason", sa.Text),
    sa.column("seq", sa.Integer),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def _sealed_rows(bind):
    secret, previous = key(), GENESIS
    rows = bind.execute(sa.select(*(audit_event.c[f] for f in FIELDS)).order_by(audit_event.c.id))
    for seq, row in enumerate(rows.mappings(), start=1):
        event = {**row, "seq": seq}
        digest = seal(secret, previous, event)
        yield {"event_id": row["id"], "seq": seq, "prev_hash": previous, "hash": digest}
        previous = digest


def upgrade():
    op.create_table(
        'audit_checkpoint',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('checked_at', sa.DateTime(), nullable=False),
        sa.Column('ok', sa.Boolean(), nullable=False),
        sa.Column('events', sa.Integer(), nullable=False),
        sa.Column('head_seq', sa.Integer(), nullable=True),
        sa.Column('head_hash', sa.String(length=64), nullable=True),
        sa.Column('message', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_checkpoint')),
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    # Sealing writes to the events once, as their owner: the append-only triggers step aside.
    if postgres:
        op.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_update")
    rows = list(_sealed_rows(bind))
    if rows:
        bind.execute(
            audit_event.update()
            .where(audit_event.c.id == sa.bindparam("event_id"))
            .values(seq=sa.bindparam("seq"), prev_hash=sa.bindparam("prev_hash"),
                    hash=sa.bindparam("hash")),
            rows,
        )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('seq', nullable=False)
        batch_op.alter_column('prev_hash', nullable=False)
        batch_op.alter_column('hash', nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_event_seq'), ['seq'])
    if postgres:
        op.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")
    else:
        # batch mode rebuilt the table; its triggers are made again.
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON audit_event "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"
            )


def downgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_event_seq'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
    op.drop_table('audit_checkpoint')
