"""mla reference unique per requesting country

A request's reference is its requesting country's own number: two countries may use the same
one, and a country that records a request learns nothing of another country's numbering
(docs/architecture.md §4). Going back refuses while two countries share a reference.

On SQLite the table is rebuilt (batch mode); foreign keys are switched off around the rebuild,
outside the transaction as SQLite requires, so that dropping the old table does not cascade to
the requests' assistance types, history and links.

Revision ID: 868d5a7b449c
Revises: 69a430956b85
Create Date: 2026-12-02 14:23:41.232587

"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '868d5a7b449c'
down_revision = '69a430956b85'
branch_labels = None
depends_on = None


@contextmanager
def _rebuilt_safely():
    """On SQLite, rebuild the table with foreign keys off and check them after."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    context = op.get_context()
    with context.autocommit_block():
        op.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
        broken = bind.execute(sa.text("PRAGMA foreign_key_check")).all()
        if broken:
            raise RuntimeError(f"foreign keys broken by the rebuild: {broken[:5]}")
    finally:
        with context.autocommit_block():
            op.execute("PRAGMA foreign_keys=ON")


def upgrade():
    with _rebuilt_safely(), op.batch_alter_table('mla_request', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_mla_request_reference'), type_='unique')
        batch_op.create_unique_constraint(
            'uq_mla_request_requesting_country_reference', ['requesting_country', 'reference']
        )


def downgrade():
    shared = op.get_bind().execute(
        sa.text(
            "SELECT reference FROM mla_request GROUP BY reference HAVING count(*) > 1 LIMIT 5"
        )
    ).scalars().all()
    if shared:
        raise RuntimeError(
            "Cannot make MLA references unique again: several requesting countries use "
            + ", ".join(shared)
            + ". Rename those requests first."
        )
    with _rebuilt_safely(), op.batch_alter_table('mla_request', schema=None) as batch_op:
        batch_op.drop_constraint('uq_mla_request_requesting_country_reference', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_mla_request_reference'), ['reference'])
