"""temps: tasks temps may not do alone; which agency an agency temp comes from

Bilag A.3 and A.4 of the guideline on competence development: a home's list of tasks temps may not do
alone (deactivated, never deleted), the agency on the person, and template items asked only of temps
from an agency other than the home's framework agency.

Revision ID: e4b9d2c7a1f3
Revises: e81b6c2f4d37
Create Date: 2026-12-02 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4b9d2c7a1f3'
down_revision = 'e81b6c2f4d37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'temp_restrictions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('home_id', sa.Integer(), nullable=False),
        sa.Column('task', sa.String(length=300), nullable=False),
        sa.Column('instead', sa.Text(), nullable=False),
        sa.Column('is_active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('deactivated_at', sa.DateTime(), nullable=True),
        sa.Column('deactivated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_temp_restrictions_created_by_id_users')),
        sa.ForeignKeyConstraint(['deactivated_by_id'], ['users.id'],
                                name=op.f('fk_temp_restrictions_deactivated_by_id_users')),
        sa.ForeignKeyConstraint(['home_id'], ['homes.id'], name=op.f('fk_temp_restrictions_home_id_homes')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_temp_restrictions')),
    )
    with op.batch_alter_table('temp_restrictions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_temp_restrictions_home_id'), ['home_id'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agency', sa.String(length=160), nullable=False, server_default=''))
    with op.batch_alter_table('onboarding_template_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('only_other_agency', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    # Drop the plain columns in place (SQLite 3.35+): rebuilding users would break the rows that refer to it.
    with op.batch_alter_table('onboarding_template_items', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('only_other_agency')
    with op.batch_alter_table('users', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('agency')
    with op.batch_alter_table('temp_restrictions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_temp_restrictions_home_id'))
    op.drop_table('temp_restrictions')
