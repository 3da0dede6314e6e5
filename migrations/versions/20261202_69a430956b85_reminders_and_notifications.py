"""reminders and notifications: notification, calendar_feed, app_user.reminder_mail

One notification per reminder rule, record, person and deadline (the unique key that makes a
second run of the reminders add nothing); a secret calendar address per person (hashed); how
each person wants reminders by mail (existing accounts: a daily digest).

Revision ID: 69a430956b85
Revises: 7b32fbe05350
Create Date: 2026-12-02 14:31:22.263918

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '69a430956b85'
down_revision = '7b32fbe05350'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_calendar_feed_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_token_hash'))
    )
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feed_user_id'), ['user_id'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('mla_unacknowledged', 'mla_unanswered', 'jit_ending', 'jit_past_end', 'action_item_due', 'action_item_overdue', 'training_post_test', name='notification_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('read_at', sa.DateTime(), nullable=True),
    sa.Column('mail_state', sa.Enum('pending', 'sent', 'in_app', name='notification_mail_state', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('mailed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['recipient_id'], ['app_user.id'], name=op.f('fk_notification_recipient_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
    sa.UniqueConstraint('kind', 'subject_id', 'recipient_id', 'due_on', name='notification_once')
    )
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notification_mail_state'), ['mail_state'], unique=False)
        batch_op.create_index('ix_notification_recipient_created', ['recipient_id', 'created_at'], unique=False)

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_mail', sa.Enum('immediate', 'daily', 'off', name='reminder_mail', native_enum=False, create_constraint=True), server_default='daily', nullable=False))



def downgrade():
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        # SQLite's batch copy would keep the column's CHECK otherwise.
        batch_op.drop_constraint(op.f('ck_app_user_reminder_mail'), type_='check')
        batch_op.drop_column('reminder_mail')

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_recipient_created')
        batch_op.drop_index(batch_op.f('ix_notification_mail_state'))

    op.drop_table('notification')
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feed_user_id'))

    op.drop_table('calendar_feed')
