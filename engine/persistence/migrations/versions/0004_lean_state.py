"""archived tasks; each task's candidate group on its row; inbox indexes

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# Each answers one branch of the inbox query in order (engine/services/inbox_query.py).
INBOX_INDEXES = {
    'ix_human_tasks_inbox_assignee': ['state', 'assignee', 'created_at', 'id'],
    'ix_human_tasks_inbox_group': ['state', 'candidate_group', 'assignee', 'created_at', 'id'],
    'ix_human_tasks_inbox_created': ['state', 'created_at', 'id'],
}


def upgrade() -> None:
    op.create_table(
        'archived_tasks',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer(), nullable=False),
        sa.Column('task_id', sa.String(length=36), nullable=False),
        sa.Column('element_id', sa.String(length=255), nullable=True),
        sa.Column('spec_name', sa.String(length=255), nullable=False),
        sa.Column('state', sa.String(length=16), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['instance_id'], ['process_instances.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_archived_tasks_instance_id', 'archived_tasks', ['instance_id'])
    with op.batch_alter_table('human_tasks') as batch_op:
        batch_op.add_column(sa.Column('candidate_group', sa.String(length=255), nullable=True))
    op.execute("UPDATE human_tasks SET candidate_group = (SELECT min(group_name) FROM task_candidates "
               "WHERE task_candidates.task_id = human_tasks.id)")
    for name, columns in INBOX_INDEXES.items():
        op.create_index(name, 'human_tasks', columns)


def downgrade() -> None:
    for name in INBOX_INDEXES:
        op.drop_index(name, table_name='human_tasks')
    with op.batch_alter_table('human_tasks') as batch_op:
        batch_op.drop_column('candidate_group')
    op.drop_index('ix_archived_tasks_instance_id', table_name='archived_tasks')
    op.drop_table('archived_tasks')
