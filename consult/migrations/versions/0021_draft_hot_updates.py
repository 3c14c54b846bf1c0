"""a page save rewrites its draft in place on PostgreSQL (a HOT update): no index on the draft's expiry, which
every save moves, and room left in each page of drafts for the row's next version

Revision ID: 0021_draft_hot_updates
Revises: 0020_answer_vectors
Create Date: 2026-12-05

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '0021_draft_hot_updates'
down_revision = '0020_answer_vectors'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response_draft', schema=None) as batch_op:
        batch_op.drop_index('ix_response_draft_expires_at')
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE response_draft SET (fillfactor = 70)')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE response_draft RESET (fillfactor)')
    with op.batch_alter_table('response_draft', schema=None) as batch_op:
        batch_op.create_index('ix_response_draft_expires_at', ['expires_at'], unique=False)
