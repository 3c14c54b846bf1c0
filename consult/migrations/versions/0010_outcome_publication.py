"""draft editions and withdrawn passages, the published outcome and moderated responses

Versions already stored were rendered before the public edition existed: they keep edition 1 and are not
published until rebuilt.

Revision ID: 0010_outcome_publication
Revises: 0009_coder_names
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_outcome_publication'
down_revision = '0009_coder_names'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('principle_draft', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edition', sa.Integer(), server_default='1', nullable=False))
        batch_op.add_column(sa.Column('rerendering', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table('outcome_publication',
    sa.Column('survey_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('draft_id', sa.Integer(), nullable=False),
    sa.Column('what_we_did', sa.Text(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('published_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['draft_id'], ['principle_draft.id'], name=op.f('fk_outcome_publication_draft_id_principle_draft'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by'], ['user_account.id'], name=op.f('fk_outcome_publication_published_by_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_outcome_publication_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('survey_id', name=op.f('pk_outcome_publication'))
    )
    op.create_table('response_moderation',
    sa.Column('response_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("decision IN ('accepted', 'held')", name=op.f('ck_response_moderation_decision_known')),
    sa.ForeignKeyConstraint(['decided_by'], ['user_account.id'], name=op.f('fk_response_moderation_decided_by_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_response_moderation_response_id_response'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_response_moderation_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('response_id', name=op.f('pk_response_moderation'))
    )
    with op.batch_alter_table('response_moderation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_moderation_survey_id'), ['survey_id'], unique=False)


def downgrade():
    with op.batch_alter_table('response_moderation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_moderation_survey_id'))
    op.drop_table('response_moderation')
    op.drop_table('outcome_publication')
    with op.batch_alter_table('principle_draft', schema=None) as batch_op:
        batch_op.drop_column('rerendering')
        batch_op.drop_column('edition')
