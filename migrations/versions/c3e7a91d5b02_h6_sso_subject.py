"""single sign-on subject on users

The directory's stable id for a person (e.g. Entra ID's `oid`), stored at their first single sign-on.

Revision ID: c3e7a91d5b02
Revises: aada5ede41e5
Create Date: 2026-12-02 15:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e7a91d5b02'
down_revision = 'aada5ede41e5'
branch_labels = None
depends_on = None


# A unique index, not a unique constraint: on SQLite a constraint means rebuilding `users`, which the rows that
# refer to it do not survive. Both directions work in place.
def upgrade():
    with op.batch_alter_table('users', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('sso_subject', sa.String(length=255), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_sso_subject'), ['sso_subject'], unique=True)


def downgrade():
    with op.batch_alter_table('users', schema=None, recreate='never') as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_sso_subject'))
        batch_op.drop_column('sso_subject')
