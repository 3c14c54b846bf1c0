"""redaction of personal data kept per answer: which answers the machine has read, and each span found by the
machine or added by a researcher, with its state and who changed it

Revision ID: 0016_redactions
Revises: 0015_theme_proposals
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016_redactions'
down_revision = '0015_theme_proposals'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('redaction_check',
    sa.Column('answer_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=40), nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_redaction_check_answer_id_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_redaction_check_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('answer_id', name=op.f('pk_redaction_check'))
    )
    op.create_index('ix_redaction_check_survey', 'redaction_check', ['survey_id', 'answer_id'], unique=False)
    op.create_table('redaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('span_start', sa.Integer(), nullable=False),
    sa.Column('span_end', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source', sa.String(length=10), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by', sa.Integer(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("source IN ('machine', 'person')", name=op.f('ck_redaction_source_known')),
    sa.CheckConstraint("state IN ('active', 'undone')", name=op.f('ck_redaction_state_known')),
    sa.CheckConstraint('span_start >= 0 AND span_end > span_start', name=op.f('ck_redaction_span_ordered')),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_redaction_answer_id_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['changed_by'], ['user_account.id'], name=op.f('fk_redaction_changed_by_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], name=op.f('fk_redaction_created_by_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_redaction_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redaction'))
    )
    op.create_index('ix_redaction_answer', 'redaction', ['answer_id', 'span_start'], unique=False)
    op.create_index('ix_redaction_survey', 'redaction', ['survey_id', 'state', 'answer_id'], unique=False)


def downgrade():
    op.drop_index('ix_redaction_survey', table_name='redaction')
    op.drop_index('ix_redaction_answer', table_name='redaction')
    op.drop_table('redaction')
    op.drop_index('ix_redaction_check_survey', table_name='redaction_check')
    op.drop_table('redaction_check')
