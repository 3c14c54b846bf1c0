"""coders named by the display name the person chose, never by their email address

Person coders were named "Name (email)" until now, and that name was printed wherever agreement figures are
(the workspace and the draft's methods chapter). Each is renamed to the person's display name, numbered where
two people share one ("Sam Jones (2)"). The downgrade leaves the names as they are.

Revision ID: 0009_coder_names
Revises: 0008_draft_progress
Create Date: 2026-12-03

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0009_coder_names'
down_revision = '0008_draft_progress'
branch_labels = None
depends_on = None


def _rename_coders():
    connection = op.get_bind()
    coders = connection.execute(sa.text(
        "SELECT coder.id, coder.name, user_account.name FROM coder JOIN user_account ON user_account.id = coder.user_id "
        "WHERE coder.kind = 'person' ORDER BY coder.id")).all()
    taken = {name for (name,) in connection.execute(sa.text("SELECT name FROM coder WHERE kind = 'machine'"))}
    renamed = []
    for coder_id, _old, display in coders:
        base = " ".join((display or "").split())[:110] or "Coder"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base} ({n})"
        taken.add(name)
        renamed.append((coder_id, name))
    # Two steps, so that no name is briefly held twice (coder.name is unique).
    for coder_id, _name in renamed:
        connection.execute(sa.text("UPDATE coder SET name = :name WHERE id = :id"), {"name": f"~{coder_id}", "id": coder_id})
    for coder_id, name in renamed:
        connection.execute(sa.text("UPDATE coder SET name = :name WHERE id = :id"), {"name": name, "id": coder_id})


def upgrade():
    _rename_coders()


def downgrade():
    pass
