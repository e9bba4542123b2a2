"""comments, the mail outbox and notification preferences (issue 12)

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('email', sa.String(length=320), nullable=True))
    op.create_table(
        'comments',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('instance_id', sa.Integer(), sa.ForeignKey('process_instances.id'), nullable=False),
        sa.Column('task_id', sa.String(length=36), nullable=True),
        sa.Column('author', sa.String(length=120), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
    )
    op.create_index('ix_comments_instance_id', 'comments', ['instance_id'])
    op.create_table(
        'mail_outbox',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('recipient', sa.String(length=120), nullable=False),
        sa.Column('recipient_name', sa.String(length=255), nullable=False),
        sa.Column('address', sa.String(length=320), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('body_text', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
    )
    op.create_index('ix_mail_outbox_due', 'mail_outbox', ['sent_at', 'next_attempt_at'])
    op.create_table(
        'notification_preferences',
        sa.Column('username', sa.String(length=120), primary_key=True),
        sa.Column('task_ready', sa.String(length=16), nullable=False),
        sa.Column('mentions', sa.Boolean(), nullable=False),
        sa.Column('overdue', sa.Boolean(), nullable=False),
        sa.Column('instance_ended', sa.Boolean(), nullable=False),
    )
    op.create_table(
        'digest_entries',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('username', sa.String(length=120), nullable=False),
        sa.Column('task_id', sa.String(length=36), nullable=False),
        sa.Column('queued_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_digest_entries_username', 'digest_entries', ['username'])
    op.create_index('ix_digest_entries_queued_at', 'digest_entries', ['queued_at'])
    op.create_table(
        'overdue_notices',
        sa.Column('task_id', sa.String(length=36), primary_key=True),
        sa.Column('at', sa.DateTime(), nullable=False),
    )
    op.create_table(
        'reminder_notices',
        sa.Column('task_id', sa.String(length=36), primary_key=True),
        sa.Column('at', sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('reminder_notices')
    op.drop_table('overdue_notices')
    op.drop_table('digest_entries')
    op.drop_table('notification_preferences')
    op.drop_table('mail_outbox')
    op.drop_table('comments')
    with op.batch_alter_table('users') as batch:
        batch.drop_column('email')
