"""machine suggestions keep their confidence, auto routing and review rank; bulk acceptances can be undone

Revision ID: 0014_suggestion_confidence
Revises: 0011_reach
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014_suggestion_confidence'
down_revision = '0011_reach'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('bulk_acceptance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('question_key', sa.String(length=60), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.Column('undone_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_bulk_acceptance_survey_id_survey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['undone_by'], ['user_account.id'], name=op.f('fk_bulk_acceptance_undone_by_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_bulk_acceptance_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bulk_acceptance'))
    )
    with op.batch_alter_table('bulk_acceptance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bulk_acceptance_survey_id'), ['survey_id'], unique=False)

    op.create_table('suggestion_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('question_key', sa.String(length=60), nullable=False),
    sa.Column('method', sa.String(length=12), nullable=False),
    sa.Column('trained_on', sa.Integer(), nullable=False),
    sa.Column('auto_cut', sa.Double(), nullable=True),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('made_by', sa.Integer(), nullable=True),
    sa.Column('made_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("method IN ('few-shot', 'supervised')", name=op.f('ck_suggestion_run_method_known')),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_suggestion_run_job_id_job'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['made_by'], ['user_account.id'], name=op.f('fk_suggestion_run_made_by_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_suggestion_run_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_run'))
    )
    with op.batch_alter_table('suggestion_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_run_survey_id'), ['survey_id'], unique=False)

    op.create_table('answer_suggestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('confidence', sa.Double(), nullable=False),
    sa.Column('auto', sa.Boolean(), nullable=False),
    sa.Column('review_rank', sa.Integer(), nullable=False),
    sa.Column('no_code', sa.Boolean(), nullable=False),
    sa.CheckConstraint('confidence >= 0 AND confidence <= 1', name=op.f('ck_answer_suggestion_confidence_range')),
    sa.CheckConstraint('review_rank >= 1', name=op.f('ck_answer_suggestion_rank_positive')),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_answer_suggestion_answer_id_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['suggestion_run.id'], name=op.f('fk_answer_suggestion_run_id_suggestion_run'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_suggestion')),
    sa.UniqueConstraint('answer_id', name=op.f('uq_answer_suggestion_answer_id'))
    )
    with op.batch_alter_table('answer_suggestion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_suggestion_run_id'), ['run_id'], unique=False)



def downgrade():
    with op.batch_alter_table('answer_suggestion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_suggestion_run_id'))

    op.drop_table('answer_suggestion')
    with op.batch_alter_table('suggestion_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_run_survey_id'))

    op.drop_table('suggestion_run')
    with op.batch_alter_table('bulk_acceptance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bulk_acceptance_survey_id'))

    op.drop_table('bulk_acceptance')
