"""the workspace's pages at a million responses: counts over responses topped up rather than recounted, and
a question's answers walked newest first

Revision ID: 0018_million_pages
Revises: 0017_scale_indexes
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_million_pages'
down_revision = '0017_scale_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('responses_revision', sa.BigInteger(), server_default='0', nullable=False))
    op.create_index('ix_answer_question_id', 'answer', ['question_id', 'id'], unique=False)
    op.drop_index('ix_answer_question', table_name='answer')


def downgrade():
    op.create_index('ix_answer_question', 'answer', ['question_id'], unique=False)
    op.drop_index('ix_answer_question_id', table_name='answer')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_column('responses_revision')
