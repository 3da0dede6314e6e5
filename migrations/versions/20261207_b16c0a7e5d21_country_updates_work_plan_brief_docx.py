"""country updates for meetings, work-plan items, the brief's .docx copy

country_update holds each participating country's update for a meeting (locked once
submitted); work_plan_item and work_plan_status_change the work-plan tracker; brief gains
its editable .docx copy; notification gains the kind country_update_missing.

Revision ID: b16c0a7e5d21
Revises: 3d9e6b1c2a47
Create Date: 2026-12-07 16:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b16c0a7e5d21'
down_revision = '3d9e6b1c2a47'
branch_labels = None
depends_on = None

OLD_KINDS = ('mla_unacknowledged', 'mla_unanswered', 'jit_ending', 'jit_past_end',
             'action_item_due', 'action_item_overdue', 'training_post_test')
NEW_KINDS = (*OLD_KINDS, 'country_update_missing')
WORK_PLAN_STATUSES = ('planned', 'on_going', 'completed', 'recurring', 'on_hold')


def _kind_check(kinds):
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def _set_kinds(kinds):
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notification_notification_kind'), type_='check')
        batch_op.alter_column('kind', type_=sa.String(length=max(map(len, kinds))),
                              existing_nullable=False)
        batch_op.create_check_constraint('notification_kind', _kind_check(kinds))


def upgrade():
    op.create_table('country_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('country_code', sa.String(length=3), nullable=False),
    sa.Column('successes', sa.Text(), nullable=False),
    sa.Column('challenges', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('proposed_actions', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', name='country_update_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('on_behalf_reason', sa.String(length=500), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_country_update_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['country_code'], ['country.iso3'], name=op.f('fk_country_update_country_code_country')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id'], name=op.f('fk_country_update_updated_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_country_update')),
    sa.UniqueConstraint('meeting_id', 'country_code', name='one_per_country')
    )
    with op.batch_alter_table('country_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_country_update_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_country_update_country_code'), ['country_code'], unique=False)

    op.create_table('work_plan_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('work_plan', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('lead', sa.String(length=200), nullable=False),
    sa.Column('supporting', sa.String(length=500), nullable=False),
    sa.Column('timeline', sa.String(length=100), nullable=False),
    sa.Column('year_from', sa.Integer(), nullable=True),
    sa.Column('year_to', sa.Integer(), nullable=True),
    sa.Column('indicative_budget', sa.String(length=100), nullable=False),
    sa.Column('status', sa.Enum(*WORK_PLAN_STATUSES, name='work_plan_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('status_date', sa.Date(), nullable=False),
    sa.Column('narrative', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['updated_by_id'], ['app_user.id'], name=op.f('fk_work_plan_item_updated_by_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_plan_item'))
    )
    with op.batch_alter_table('work_plan_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_plan_item_work_plan'), ['work_plan'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_plan_item_status'), ['status'], unique=False)

    op.create_table('work_plan_status_change',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum(*WORK_PLAN_STATUSES, name='work_plan_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['work_plan_item.id'], name=op.f('fk_work_plan_status_change_item_id_work_plan_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_plan_status_change'))
    )
    with op.batch_alter_table('work_plan_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_plan_status_change_item_id'), ['item_id'], unique=False)

    with op.batch_alter_table('brief', schema=None) as batch_op:
        batch_op.add_column(sa.Column('docx', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('docx_sha256', sa.String(length=64), nullable=True))

    _set_kinds(NEW_KINDS)


def downgrade():
    op.execute("DELETE FROM notification WHERE kind = 'country_update_missing'")
    _set_kinds(OLD_KINDS)
    with op.batch_alter_table('brief', schema=None) as batch_op:
        batch_op.drop_column('docx_sha256')
        batch_op.drop_column('docx')
    with op.batch_alter_table('work_plan_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_plan_status_change_item_id'))
    op.drop_table('work_plan_status_change')
    with op.batch_alter_table('work_plan_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_plan_item_status'))
        batch_op.drop_index(batch_op.f('ix_work_plan_item_work_plan'))
    op.drop_table('work_plan_item')
    with op.batch_alter_table('country_update', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_country_update_country_code'))
        batch_op.drop_index(batch_op.f('ix_country_update_meeting_id'))
    op.drop_table('country_update')
