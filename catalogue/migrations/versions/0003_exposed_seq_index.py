"""index on (exposed, seq): completeListSize counted from the index alone

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 02:30:00
"""
from __future__ import annotations

from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index('ix_items_exposed_seq', ['exposed', 'seq'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index('ix_items_exposed_seq')
