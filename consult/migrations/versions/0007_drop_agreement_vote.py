"""drop agreement_vote: votes are counted from the answers' chosen options, as the workspace counts them

Revision ID: 0007_drop_agreement_vote
Revises: 0006_response_facts
Create Date: 2026-12-02

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0007_drop_agreement_vote'
down_revision = '0006_response_facts'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agreement_vote', schema=None) as batch_op:
        batch_op.drop_index('ix_agreement_vote_count')
    op.drop_table('agreement_vote')


def downgrade():
    op.create_table('agreement_vote',
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('respondent_type', sa.String(length=60), nullable=True),
    sa.Column('value', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['survey_question.id'], name=op.f('fk_agreement_vote_question_id_survey_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_agreement_vote_response_id_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', 'question_id', name=op.f('pk_agreement_vote'))
    )
    with op.batch_alter_table('agreement_vote', schema=None) as batch_op:
        batch_op.create_index('ix_agreement_vote_count', ['question_id', 'respondent_type', 'value'], unique=False)
