"""sentence vectors kept per answer (optional model): worked out once in a background job as answers arrive, read
by "Suggest codes" beside the words

Revision ID: 0020_answer_vectors
Revises: 0019_million_pages_two
Create Date: 2026-12-04

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_answer_vectors'
down_revision = '0019_million_pages_two'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('answer_vector',
    sa.Column('answer_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=60), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_answer_vector_answer_id_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_answer_vector_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('answer_id', name=op.f('pk_answer_vector'))
    )
    op.create_index('ix_answer_vector_survey', 'answer_vector', ['survey_id', 'answer_id'], unique=False)


def downgrade():
    op.drop_index('ix_answer_vector_survey', table_name='answer_vector')
    op.drop_table('answer_vector')
