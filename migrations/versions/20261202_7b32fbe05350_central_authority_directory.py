"""central authority directory: authorities per country and requirements per assistance type

Revision ID: 7b32fbe05350
Revises: 7c1d2e3f4a5b
Create Date: 2026-12-02 14:38:37.328527

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7b32fbe05350'
down_revision = '7c1d2e3f4a5b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('authority',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=3), nullable=False),
    sa.Column('role', sa.Enum('central_authority', 'competent_authority', name='authority_role', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('name', sa.Unicode(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('address', sa.UnicodeText(), nullable=False),
    sa.Column('channel', sa.Enum('central_authority', 'diplomatic', 'direct', 'sea_just', name='authority_channel', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('languages', sa.String(length=100), nullable=False),
    sa.Column('contact', sa.UnicodeText(), nullable=False),
    sa.Column('notes', sa.UnicodeText(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['country_code'], ['country.iso3'], name=op.f('fk_authority_country_code_country')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id'], name=op.f('fk_authority_updated_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_authority'))
    )
    with op.batch_alter_table('authority', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_authority_country_code'), ['country_code'], unique=False)

    op.create_table('mla_requirement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=3), nullable=False),
    sa.Column('assistance_type', sa.Enum('evidence', 'witness_statement', 'bank_records', 'digital_evidence', 'search_seizure', 'asset_tracing', 'asset_freezing', 'service_of_documents', 'locate_persons', 'transfer_of_persons', 'other', name='requirement_assistance_type', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('must_contain', sa.UnicodeText(), nullable=False),
    sa.Column('translation', sa.UnicodeText(), nullable=False),
    sa.Column('typical_days', sa.Integer(), nullable=True),
    sa.Column('notes', sa.UnicodeText(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('typical_days IS NULL OR typical_days > 0', name=op.f('ck_mla_requirement_typical_days')),
    sa.ForeignKeyConstraint(['country_code'], ['country.iso3'], name=op.f('fk_mla_requirement_country_code_country')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id'], name=op.f('fk_mla_requirement_updated_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mla_requirement')),
    sa.UniqueConstraint('country_code', 'assistance_type', name='country_type')
    )
    with op.batch_alter_table('mla_requirement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mla_requirement_country_code'), ['country_code'], unique=False)



def downgrade():
    with op.batch_alter_table('mla_requirement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mla_requirement_country_code'))

    op.drop_table('mla_requirement')
    with op.batch_alter_table('authority', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_authority_country_code'))

    op.drop_table('authority')
