"""Guideline version HTML

Each guideline version keeps its text rendered as safe HTML, so a view never renders Markdown; filled here for
the versions that exist.

Revision ID: e81b6c2f4d37
Revises: c4e19b7d2a60
Create Date: 2026-12-02 15:45:00

"""
from alembic import op
import markdown
import nh3
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e81b6c2f4d37'
down_revision = 'c4e19b7d2a60'
branch_labels = None
depends_on = None


def _render(text):
    """The same rendering as app.guidelines.rendering.render_markdown at this revision (no app imports here)."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(html, url_schemes={"http", "https", "mailto"})


def upgrade():
    with op.batch_alter_table('guideline_versions', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('body_html', sa.Text(), nullable=True))
    connection = op.get_bind()
    versions = sa.table('guideline_versions', sa.column('id', sa.Integer), sa.column('body', sa.Text),
                        sa.column('body_html', sa.Text))
    rows = [{'row_id': row_id, 'html': _render(body)}
            for row_id, body in connection.execute(sa.select(versions.c.id, versions.c.body))]
    if rows:
        connection.execute(versions.update().where(versions.c.id == sa.bindparam('row_id'))
                           .values(body_html=sa.bindparam('html')), rows)


def downgrade():
    # In place, never a rebuild (see c4e19b7d2a60): other rows refer to guideline versions.
    with op.batch_alter_table('guideline_versions', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('body_html')
