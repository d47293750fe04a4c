"""per-home data versions

The cache of derived data (app/cache.py) is kept per home: `home_data_versions` counts the writes to each
home's records per area (feature), and `data_version.shared` the writes that belong to no single home.

Revision ID: f3a8c51d9e27
Revises: e4b9d2c7a1f3
Create Date: 2026-12-03 07:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3a8c51d9e27'
down_revision = 'e4b9d2c7a1f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('home_data_versions',
    sa.Column('home_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('area', sa.String(length=32), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('home_id', 'area', name=op.f('pk_home_data_versions'))
    )
    with op.batch_alter_table('data_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shared', sa.BigInteger(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('data_version', schema=None) as batch_op:
        batch_op.drop_column('shared')
    op.drop_table('home_data_versions')
