"""Danish sort keys

A stored key next to every name the pages sort by, so the database orders them the Danish way (Æ, Ø, Å after Z)
without calling back into Python per comparison; filled here for the rows that exist.

Revision ID: c4e19b7d2a60
Revises: b7c4e19a2d30
Create Date: 2026-12-02 15:30:00

"""
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e19b7d2a60'
down_revision = 'b7c4e19a2d30'
branch_labels = None
depends_on = None

# (table, name column, key column)
KEYS = [
    ('homes', 'name', 'name_sort_key'),
    ('departments', 'name', 'name_sort_key'),
    ('methods', 'name', 'name_sort_key'),
    ('users', 'name', 'name_sort_key'),
    ('resource_functions', 'topic', 'topic_sort_key'),
    ('children', 'display_name', 'display_name_sort_key'),
    ('onboarding_templates', 'name', 'name_sort_key'),
]

# A copy of app.database.danish_sort_key as of this revision: migrations never import app code.
_DANISH_TAIL = {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"}


def _sort_key(value):
    value = value or ""
    folded = "".join(_DANISH_TAIL.get(c) or unicodedata.normalize("NFD", c)[0] for c in value.casefold())
    return folded.encode() + b"\x00" + value.encode()


def upgrade():
    connection = op.get_bind()
    for table_name, source, key in KEYS:
        with op.batch_alter_table(table_name, schema=None, recreate='never') as batch_op:
            batch_op.add_column(sa.Column(key, sa.LargeBinary(), nullable=True))
        table = sa.table(table_name, sa.column('id', sa.Integer), sa.column(source, sa.String),
                         sa.column(key, sa.LargeBinary))
        rows = [{'row_id': row_id, 'key': _sort_key(name)}
                for row_id, name in connection.execute(sa.select(table.c.id, table.c[source]))]
        if rows:
            connection.execute(table.update().where(table.c.id == sa.bindparam('row_id'))
                               .values({key: sa.bindparam('key')}), rows)
        with op.batch_alter_table(table_name, schema=None, recreate='never') as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table_name}_{key}'), [key], unique=False)


def downgrade():
    # Never rebuild the tables: on SQLite a rebuild drops a table other rows still refer to. SQLite 3.35 and
    # later drop a plain column in place.
    for table_name, _source, key in reversed(KEYS):
        with op.batch_alter_table(table_name, schema=None, recreate='never') as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table_name}_{key}'))
            batch_op.drop_column(key)
