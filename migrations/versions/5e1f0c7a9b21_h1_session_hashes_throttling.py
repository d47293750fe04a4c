"""login session tokens stored as hashes, session activity, throttled login attempts

The cookie's token is no longer stored; only its SHA-256 is, in `token_hash`. Sessions open at upgrade are
ended (their stored token would be the only way to keep them, and that is what must go), so everyone logs in
once more. `last_seen_at` is the session's last activity, for the idle timeout. A login try refused by the
delay is kept with `was_throttled` and does not count as a failure; counts go by (email, at) and
(remote_addr, at).

Revision ID: 5e1f0c7a9b21
Revises: c3e7a91d5b02
Create Date: 2026-12-02 15:30:00

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5e1f0c7a9b21'
down_revision = 'c3e7a91d5b02'
branch_labels = None
depends_on = None


def _end_open_sessions():
    now = datetime.now(UTC).replace(tzinfo=None)
    op.execute(sa.text("UPDATE login_sessions SET ended_at = :now WHERE ended_at IS NULL").bindparams(now=now))


def upgrade():
    _end_open_sessions()
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_constraint('uq_login_sessions_token', type_='unique')
        batch_op.alter_column('token', new_column_name='token_hash', existing_type=sa.String(length=64),
                              existing_nullable=False)
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(), nullable=True))
    # A stored token is a usable session: replace each with a value no cookie can hash to.
    op.execute("UPDATE login_sessions SET token_hash = 'ended-' || CAST(id AS VARCHAR(20)), "
               "last_seen_at = created_at")
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.alter_column('last_seen_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_login_sessions_token_hash'), ['token_hash'])

    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('was_throttled', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.drop_index(batch_op.f('ix_login_attempts_email'))
        batch_op.create_index('ix_login_attempts_email_at', ['email', 'at'], unique=False)
        batch_op.create_index('ix_login_attempts_remote_addr_at', ['remote_addr', 'at'], unique=False)
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.alter_column('was_throttled', existing_type=sa.Boolean(), server_default=None)


def downgrade():
    with op.batch_alter_table('login_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempts_remote_addr_at')
        batch_op.drop_index('ix_login_attempts_email_at')
        batch_op.create_index(batch_op.f('ix_login_attempts_email'), ['email'], unique=False)
        batch_op.drop_column('was_throttled')

    # The old schema keeps plain tokens; the hashes are no use to it, so every session ends.
    _end_open_sessions()
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_constraint('uq_login_sessions_token_hash', type_='unique')
        batch_op.drop_column('last_seen_at')
        batch_op.alter_column('token_hash', new_column_name='token', existing_type=sa.String(length=64),
                              existing_nullable=False)
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_login_sessions_token'), ['token'])
