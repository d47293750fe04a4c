"""tilbudsplan: a home's yearly plan of what it offers, in numbered revisions

Revision ID: a7d3c9e15b40
Revises: f3a8c51d9e27
Create Date: 2026-12-03 08:55:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'a7d3c9e15b40'
down_revision = 'f3a8c51d9e27'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tilbudsplan_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('home_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=True),
        sa.Column('change_note', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('approved_at', sa.DateTime(), nullable=True),
        sa.Column('published_at', sa.DateTime(), nullable=True),
        sa.Column('lock_version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'],
                                name=op.f('fk_tilbudsplan_versions_created_by_id_users')),
        sa.ForeignKeyConstraint(['home_id'], ['homes.id'], name=op.f('fk_tilbudsplan_versions_home_id_homes')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tilbudsplan_versions')),
        sa.UniqueConstraint('home_id', 'year', 'number', name=op.f('uq_tilbudsplan_versions_home_id_year_number')),
    )
    with op.batch_alter_table('tilbudsplan_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tilbudsplan_versions_home_id'), ['home_id'], unique=False)


def downgrade():
    with op.batch_alter_table('tilbudsplan_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tilbudsplan_versions_home_id'))
    op.drop_table('tilbudsplan_versions')
