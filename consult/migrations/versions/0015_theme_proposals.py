"""themes found by the machine: each "Find themes" run and the themes it proposed for review

Revision ID: 0015_theme_proposals
Revises: 0014_suggestion_confidence
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015_theme_proposals'
down_revision = '0014_suggestion_confidence'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('theme_discovery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('question_keys', sa.JSON(), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('max_themes', sa.Integer(), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['user_account.id'], name=op.f('fk_theme_discovery_created_by_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['job_id'], ['job.id'], name=op.f('fk_theme_discovery_job_id_job'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_theme_discovery_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_discovery'))
    )
    with op.batch_alter_table('theme_discovery', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_discovery_survey_id'), ['survey_id'], unique=False)

    op.create_table('theme_proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('discovery_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('terms', sa.JSON(), nullable=False),
    sa.Column('member_ids', sa.JSON(), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('example_ids', sa.JSON(), nullable=False),
    sa.Column('overlaps', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('split_from_id', sa.Integer(), nullable=True),
    sa.Column('examples_copied', sa.JSON(), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('proposed', 'accepted', 'dropped', 'merged', 'split')", name=op.f('ck_theme_proposal_status_known')),
    sa.ForeignKeyConstraint(['decided_by'], ['user_account.id'], name=op.f('fk_theme_proposal_decided_by_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['discovery_id'], ['theme_discovery.id'], name=op.f('fk_theme_proposal_discovery_id_theme_discovery'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['theme_proposal.id'], name=op.f('fk_theme_proposal_merged_into_id_theme_proposal'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['split_from_id'], ['theme_proposal.id'], name=op.f('fk_theme_proposal_split_from_id_theme_proposal'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['theme_id'], ['theme.id'], name=op.f('fk_theme_proposal_theme_id_theme'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_theme_proposal'))
    )
    with op.batch_alter_table('theme_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_theme_proposal_discovery_id'), ['discovery_id'], unique=False)



def downgrade():
    with op.batch_alter_table('theme_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_proposal_discovery_id'))

    op.drop_table('theme_proposal')
    with op.batch_alter_table('theme_discovery', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_theme_discovery_survey_id'))

    op.drop_table('theme_discovery')
