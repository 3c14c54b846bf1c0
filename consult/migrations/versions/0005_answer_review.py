"""answer reviews: a coder's decided code set, possibly empty

Revision ID: 0005_answer_review
Revises: 0004_principle_drafts
Create Date: 2026-11-22

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0005_answer_review'
down_revision = '0004_principle_drafts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('answer_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('coder_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_answer_review_answer_id_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['coder_id'], ['coder.id'], name=op.f('fk_answer_review_coder_id_coder'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_review')),
    sa.UniqueConstraint('answer_id', 'coder_id', name=op.f('uq_answer_review_answer_id_coder_id'))
    )
    with op.batch_alter_table('answer_review', schema=None) as batch_op:
        batch_op.create_index('ix_answer_review_coder', ['coder_id'], unique=False)


def downgrade():
    with op.batch_alter_table('answer_review', schema=None) as batch_op:
        batch_op.drop_index('ix_answer_review_coder')
    op.drop_table('answer_review')
