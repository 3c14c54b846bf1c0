"""staff sessions that can be ended server-side, and sign-in failures counted per email address

Each account gets a session generation (raised to end all its sessions); failed sign-ins move from the account
to login_throttle, keyed by a hash of the address, so addresses without an account lock out the same way.

Revision ID: 0012_staff_sessions
Revises: 0011_reach
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012_staff_sessions'
down_revision = '0011_reach'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('last_failed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index('ix_login_throttle_last_failed_at', ['last_failed_at'], unique=False)
    # Plain ALTER TABLE (SQLite 3.35+ drops columns in place): a batch copy would drop and recreate user_account,
    # and with foreign keys on, SQLite would cascade that to every coder and audit event pointing at it.
    op.add_column('user_account', sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))
    op.drop_column('user_account', 'failed_logins')
    op.drop_column('user_account', 'locked_until')


def downgrade():
    op.add_column('user_account', sa.Column('locked_until', sa.DateTime(), nullable=True))
    op.add_column('user_account', sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
    op.drop_column('user_account', 'session_generation')
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index('ix_login_throttle_last_failed_at')
    op.drop_table('login_throttle')
