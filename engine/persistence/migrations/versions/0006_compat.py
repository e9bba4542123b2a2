"""data stores of BPMN processes (issue 13)

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'data_store_entries',
        sa.Column('process_key', sa.String(length=255), nullable=False),
        sa.Column('store_id', sa.String(length=255), nullable=False),
        sa.Column('value', sa.JSON(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('process_key', 'store_id'),
    )


def downgrade() -> None:
    op.drop_table('data_store_entries')
