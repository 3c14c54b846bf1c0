"""the flag filter and the coding queue at a million responses: a note keeps its answer's response id, so
responses with an open flag are found from the notes alone; a coder's codes are indexed with their status

Revision ID: 0019_million_pages_two
Revises: 0018_million_pages
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_million_pages_two'
down_revision = '0018_million_pages'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('answer_note', schema=None) as batch_op:
        batch_op.add_column(sa.Column('response_id', sa.Integer(), nullable=True))
    op.execute('UPDATE answer_note SET response_id = '
               '(SELECT answer.response_id FROM answer WHERE answer.id = answer_note.answer_id)')
    with op.batch_alter_table('answer_note', schema=None) as batch_op:
        batch_op.alter_column('response_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f('fk_answer_note_response_id_response'), 'response', ['response_id'],
                                    ['id'], ondelete='CASCADE')
        batch_op.create_index('ix_answer_note_response', ['response_id'], unique=False)
    # Whether a coder applied a code to an answer, from the index alone (PostgreSQL: SQLite has no INCLUDE).
    op.drop_index('ix_code_assignment_coder_answer', table_name='code_assignment')
    op.create_index('ix_code_assignment_coder_answer', 'code_assignment', ['coder_id', 'answer_id'], unique=False,
                    postgresql_include=['status'])


def downgrade():
    op.drop_index('ix_code_assignment_coder_answer', table_name='code_assignment')
    op.create_index('ix_code_assignment_coder_answer', 'code_assignment', ['coder_id', 'answer_id'], unique=False)
    with op.batch_alter_table('answer_note', schema=None) as batch_op:
        batch_op.drop_index('ix_answer_note_response')
        batch_op.drop_constraint(batch_op.f('fk_answer_note_response_id_response'), type_='foreignkey')
        batch_op.drop_column('response_id')
