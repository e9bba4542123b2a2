"""indexes the dashboard's counts read (issue 15)

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Instances started / completed per week: range scans on the two dates (engine/services/dashboard.py).
    op.create_index('ix_process_instances_started_at', 'process_instances', ['started_at'])
    op.create_index('ix_process_instances_state_ended_at', 'process_instances', ['state', 'ended_at'])
    # Open tasks by lane and age, overdue by process: one index range per question.
    op.create_index('ix_human_tasks_state_lane_created', 'human_tasks', ['state', 'lane', 'created_at'])
    op.create_index('ix_human_tasks_state_due', 'human_tasks', ['state', 'due_at', 'process_key'])


def downgrade() -> None:
    op.drop_index('ix_human_tasks_state_due', table_name='human_tasks')
    op.drop_index('ix_human_tasks_state_lane_created', table_name='human_tasks')
    op.drop_index('ix_process_instances_state_ended_at', table_name='process_instances')
    op.drop_index('ix_process_instances_started_at', table_name='process_instances')
