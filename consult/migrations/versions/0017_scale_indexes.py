"""the workspace at a million responses: indexes for its lists and counts, and kept figures

Revision ID: 0017_scale_indexes
Revises: 0016_redactions
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_scale_indexes'
down_revision = '0016_redactions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('figures_revision', sa.BigInteger(), server_default='0', nullable=False))
    op.create_table('figure_cache',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('stamp', sa.String(length=200), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', 'name')
    )
    op.create_index('ix_response_survey_id', 'response', ['survey_id', 'id'], unique=False)
    op.create_index('ix_response_draft_version', 'response_draft', ['version_id'], unique=False)
    op.create_index('ix_code_assignment_coder_answer', 'code_assignment', ['coder_id', 'answer_id'], unique=False)
    op.create_index('ix_response_reference_prefix', 'response', ['reference'], unique=False,
                    postgresql_ops={'reference': 'varchar_pattern_ops'})
    if op.get_bind().dialect.name == 'postgresql':
        # Search within answers (LIKE '%term%' on lower(text)) reads a trigram index instead of every answer.
        # PostgreSQL only (the model's index says so too): SQLite has no trigram indexes.
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.execute('CREATE INDEX ix_answer_text_trigram ON answer USING gin (lower(text) gin_trgm_ops)')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_answer_text_trigram')
    op.drop_index('ix_response_reference_prefix', table_name='response')
    op.drop_index('ix_code_assignment_coder_answer', table_name='code_assignment')
    op.drop_index('ix_response_draft_version', table_name='response_draft')
    op.drop_index('ix_response_survey_id', table_name='response')
    op.drop_table('figure_cache')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_column('figures_revision')
