"""initial catalogue

Revision ID: 0001
Revises: 
Create Date: 2026-11-30 01:21:31.817510
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('counters',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('sets',
    sa.Column('spec', sa.String(length=255), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('editorial', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('spec')
    )
    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('base_url', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('local_id', sa.String(length=255), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('datestamp', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('exposed', sa.Boolean(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('set_specs', sa.Text(), nullable=False),
    sa.Column('lom', sa.LargeBinary(), nullable=True),
    sa.Column('oai_dc', sa.LargeBinary(), nullable=True),
    sa.Column('about', sa.LargeBinary(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('original_identifier', sa.Text(), nullable=True),
    sa.Column('original_datestamp', sa.String(length=40), nullable=True),
    sa.Column('created', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('local_id'),
    sa.UniqueConstraint('seq'),
    sa.UniqueConstraint('source_id', 'original_identifier', name='uq_items_origin')
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index('ix_items_datestamp_seq', ['datestamp', 'seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_status'), ['status'], unique=False)

    op.create_table('memberships',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('spec', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'spec')
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index('ix_memberships_spec_item', ['spec', 'item_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_memberships_spec_item')

    op.drop_table('memberships')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_status'))
        batch_op.drop_index('ix_items_datestamp_seq')

    op.drop_table('items')
    op.drop_table('sources')
    op.drop_table('sets')
    op.drop_table('counters')
