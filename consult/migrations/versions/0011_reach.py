"""survey translations, the language of responses, the mail outbox, and workshop events with invitations

Web responses stored before there was a choice of language were answered in English.

Revision ID: 0011_reach
Revises: 0010_outcome_publication
Create Date: 2026-12-02

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_reach'
down_revision = '0010_outcome_publication'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('translations', sa.JSON(), nullable=True))
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=2), nullable=True))
    op.execute("UPDATE response SET language = 'en' WHERE channel = 'web'")
    with op.batch_alter_table('workshop_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('starts_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('online_link', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('capacity', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', sa.DateTime(), nullable=True))
        batch_op.create_check_constraint('capacity_positive', 'capacity IS NULL OR capacity > 0')
    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=True),
    sa.Column('to_address', sa.String(length=254), nullable=True),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('params', sa.JSON(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("state IN ('pending', 'sent', 'failed', 'cancelled')", name=op.f('ck_mail_outbox_state_known')),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_mail_outbox_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox'))
    )
    op.create_index('ix_mail_outbox_due', 'mail_outbox', ['state', 'next_attempt_at'], unique=False)
    op.create_table('workshop_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('reply', sa.String(length=10), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('invited_at', sa.DateTime(), nullable=False),
    sa.Column('replied_at', sa.DateTime(), nullable=True),
    sa.Column('waiting_since', sa.DateTime(), nullable=True),
    sa.Column('reminded_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("reply IN ('invited', 'accepted', 'waiting', 'declined', 'cancelled')", name=op.f('ck_workshop_invitation_reply_known')),
    sa.ForeignKeyConstraint(['event_id'], ['workshop_event.id'], name=op.f('fk_workshop_invitation_event_id_workshop_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['response_id'], ['response.id'], name=op.f('fk_workshop_invitation_response_id_response'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_invitation')),
    sa.UniqueConstraint('event_id', 'response_id', name=op.f('uq_workshop_invitation_event_id_response_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_workshop_invitation_token_hash'))
    )
    op.create_index('ix_workshop_invitation_event_reply', 'workshop_invitation', ['event_id', 'reply'], unique=False)


def downgrade():
    op.drop_index('ix_workshop_invitation_event_reply', table_name='workshop_invitation')
    op.drop_table('workshop_invitation')
    op.drop_index('ix_mail_outbox_due', table_name='mail_outbox')
    op.drop_table('mail_outbox')
    with op.batch_alter_table('workshop_event', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_workshop_event_capacity_positive'), type_='check')
        batch_op.drop_column('cancelled_at')
        batch_op.drop_column('capacity')
        batch_op.drop_column('online_link')
        batch_op.drop_column('starts_at')
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('survey_version', schema=None) as batch_op:
        batch_op.drop_column('translations')
