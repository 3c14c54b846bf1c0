"""stored files: uploads waiting for confirmation and background exports, in the database (shared by every
app server) rather than on one server's disk

Revision ID: 0013_retention
Revises: 0011_reach
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013_retention'
down_revision = '0012_staff_sessions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('purpose', sa.String(length=10), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("purpose IN ('upload', 'export')", name=op.f('ck_stored_file_purpose_known')),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_stored_file_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_file')),
    sa.UniqueConstraint('token', name=op.f('uq_stored_file_token'))
    )
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.create_index('ix_stored_file_expires_at', ['expires_at'], unique=False)
        batch_op.create_index('ix_stored_file_survey_purpose', ['survey_id', 'purpose'], unique=False)



def downgrade():
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.drop_index('ix_stored_file_survey_purpose')
        batch_op.drop_index('ix_stored_file_expires_at')

    op.drop_table('stored_file')
