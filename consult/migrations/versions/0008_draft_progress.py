"""where a respondent left off, what they saved unchecked, when a survey was closed, and the write check

Revision ID: 0008_draft_progress
Revises: 0007_drop_agreement_vote
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0008_draft_progress'
down_revision = '0007_drop_agreement_vote'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response_draft', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_page', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('unsaved', sa.JSON(), nullable=True))
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
    write_check = op.create_table('write_check',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('checked_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_write_check'))
    )
    op.execute(write_check.insert().values(id=1, checked_at=sa.func.current_timestamp()))


def downgrade():
    op.drop_table('write_check')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
    with op.batch_alter_table('response_draft', schema=None) as batch_op:
        batch_op.drop_column('unsaved')
        batch_op.drop_column('last_page')
