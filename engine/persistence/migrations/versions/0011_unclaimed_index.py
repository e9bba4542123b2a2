"""the inbox's unclaimed-in-a-lane branch gets a partial index (issue 9)

PostgreSQL does not take `assignee IS NULL` as fixing the column for the order of an index,
so with the index on (state, candidate_group, assignee, created_at, id) it sorted a lane's
tasks or scanned the whole open list in created order instead: 50 ms for a clerk whose lane
holds 1% of 100,000 open tasks. An index on (state, candidate_group, created_at, id) WHERE
assignee IS NULL reads the page in order on both databases.

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

UNCLAIMED = sa.text("assignee IS NULL")


def upgrade() -> None:
    op.drop_index('ix_human_tasks_inbox_group', table_name='human_tasks')
    op.create_index('ix_human_tasks_inbox_unclaimed', 'human_tasks', ['state', 'candidate_group', 'created_at', 'id'],
                    postgresql_where=UNCLAIMED, sqlite_where=UNCLAIMED)


def downgrade() -> None:
    op.drop_index('ix_human_tasks_inbox_unclaimed', table_name='human_tasks')
    op.create_index('ix_human_tasks_inbox_group', 'human_tasks',
                    ['state', 'candidate_group', 'assignee', 'created_at', 'id'])
