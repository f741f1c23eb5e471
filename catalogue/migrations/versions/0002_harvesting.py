"""harvesting: source settings and state, runs, checkpoints, quarantine, refresh marks, leases

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 02:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None



def upgrade() -> None:
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prefix', sa.String(length=20), nullable=False, server_default='auto'))
        batch_op.add_column(sa.Column('set_specs', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('every_seconds', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cron', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('policy', sa.String(length=20), nullable=False, server_default='publish'))
        batch_op.add_column(sa.Column('profile', sa.String(length=100), nullable=False, server_default='lom-loose'))
        batch_op.add_column(sa.Column('granularity', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('deleted_record', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('earliest_datestamp', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('last_response_date', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('last_full_refresh', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('next_due', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('created', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_sources_next_due'), ['next_due'], unique=False)
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('harvested', sa.DateTime(), nullable=True))

    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('started', sa.DateTime(), nullable=False),
    sa.Column('finished', sa.DateTime(), nullable=True),
    sa.Column('due', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('metadata_prefix', sa.String(length=100), nullable=True),
    sa.Column('response_date', sa.String(length=40), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('new', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('deleted', sa.Integer(), nullable=False),
    sa.Column('quarantined', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('resumed', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Text(), nullable=False),
    sa.Column('alterations', sa.Text(), nullable=False),
    sa.Column('next_due', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.create_index('ix_runs_source_started', ['source_id', 'started'], unique=False)

    op.create_table('checkpoints',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('list_key', sa.String(length=300), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('metadata_prefix', sa.String(length=100), nullable=False),
    sa.Column('from_date', sa.String(length=40), nullable=True),
    sa.Column('until_date', sa.String(length=40), nullable=True),
    sa.Column('began', sa.String(length=40), nullable=True),
    sa.Column('token', sa.Text(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.Column('updated', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', 'list_key')
    )
    op.create_table('quarantine',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('original_identifier', sa.Text(), nullable=False),
    sa.Column('original_datestamp', sa.String(length=40), nullable=True),
    sa.Column('received', sa.DateTime(), nullable=False),
    sa.Column('raw', sa.LargeBinary(), nullable=True),
    sa.Column('reasons', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source_id', 'original_identifier', name='uq_quarantine_origin')
    )
    op.create_table('refresh_seen',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('original_identifier', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', 'original_identifier')
    )
    op.create_table('leases',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('holder', sa.String(length=200), nullable=False),
    sa.Column('expires', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id')
    )


def downgrade() -> None:
    op.drop_table('leases')
    op.drop_table('refresh_seen')
    op.drop_table('quarantine')
    op.drop_table('checkpoints')
    with op.batch_alter_table('runs', schema=None) as batch_op:
        batch_op.drop_index('ix_runs_source_started')
    op.drop_table('runs')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_column('harvested')
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sources_next_due'))
        for column in ('created', 'next_due', 'last_full_refresh', 'last_response_date', 'earliest_datestamp',
                       'deleted_record', 'granularity', 'profile', 'policy', 'cron', 'every_seconds',
                       'set_specs', 'prefix'):
            batch_op.drop_column(column)
