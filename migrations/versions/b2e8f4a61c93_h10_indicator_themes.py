"""indicator themes: a home's placement of each quality indicator in Socialtilsynet's quality model

Revision ID: b2e8f4a61c93
Revises: a7d3c9e15b40
Create Date: 2026-12-03 12:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b2e8f4a61c93'
down_revision = 'a7d3c9e15b40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'quality_indicator_themes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('home_id', sa.Integer(), nullable=False),
        sa.Column('indicator_key', sa.String(length=80), nullable=False),
        sa.Column('theme', sa.Integer(), nullable=False),
        sa.Column('criterion', sa.String(length=8), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.Column('changed_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'],
                                name=op.f('fk_quality_indicator_themes_changed_by_id_users')),
        sa.ForeignKeyConstraint(['home_id'], ['homes.id'], name=op.f('fk_quality_indicator_themes_home_id_homes')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quality_indicator_themes')),
        sa.UniqueConstraint('home_id', 'indicator_key', name='uq_quality_indicator_themes_key'),
    )
    with op.batch_alter_table('quality_indicator_themes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quality_indicator_themes_home_id'), ['home_id'], unique=False)


def downgrade():
    with op.batch_alter_table('quality_indicator_themes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quality_indicator_themes_home_id'))
    op.drop_table('quality_indicator_themes')
