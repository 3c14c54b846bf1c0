"""response facts for drafting at scale

Campaign signatures, agreement votes beside the respondent type, and the campaigns last found per survey.
Responses stored before this revision get their facts when the next draft is built (they are worked out
in Python, from the answers), so the migration only makes the tables.

Revision ID: 0006_response_facts
Revises: 0005_answer_review
Create Date: 2026-11-26

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0006_response_facts'
down_revision = '0005_answer_review'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('campaign_cache',
    sa.Column('survey_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('scheme', sa.String(length=40), nullable=False),
    sa.Column('fingerprint', sa.String(length=200), nullable=False),
    sa.Column('campaigns', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_campaign_cache_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', name=op.f('pk_campaign_cache'))
    )
    op.create_table('response_signature',
    sa.Column('response_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=40), nullable=False),
    sa.Column('text_key', sa.BigInteger(), nullable=True),
    sa.Column('signature', sa.LargeBinary(), nullable=True),
    sa.Column('shingles', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_response_signature_response_id_response'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_response_signature_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', name=op.f('pk_response_signature'))
    )
    with op.batch_alter_table('response_signature', schema=None) as batch_op:
        batch_op.create_index('ix_response_signature_survey', ['survey_id', 'scheme', 'response_id', 'text_key'], unique=False)

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



def downgrade():
    with op.batch_alter_table('agreement_vote', schema=None) as batch_op:
        batch_op.drop_index('ix_agreement_vote_count')

    op.drop_table('agreement_vote')
    with op.batch_alter_table('response_signature', schema=None) as batch_op:
        batch_op.drop_index('ix_response_signature_survey')

    op.drop_table('response_signature')
    op.drop_table('campaign_cache')
