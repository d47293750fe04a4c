"""reminder delivery and cache epoch

Reminders are marked sent only after the SMTP server accepted them (`sent_at`), and a run claims a person's
reminders for a while (`claim`, `claimed_at`) before sending. Rows written before this were marked before
sending and count as sent. The data version gets a random epoch that every restore changes (app/cache.py).

Revision ID: b7c4e19a2d30
Revises: 5e1f0c7a9b21
Create Date: 2026-12-02 15:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c4e19a2d30'
down_revision = '5e1f0c7a9b21'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reminder_logs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claim', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE reminder_logs SET sent_at = created_at")
    with op.batch_alter_table('data_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('epoch', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('data_version', schema=None) as batch_op:
        batch_op.drop_column('epoch')
    op.execute("DELETE FROM reminder_logs WHERE sent_at IS NULL")
    with op.batch_alter_table('reminder_logs', schema=None) as batch_op:
        batch_op.drop_column('sent_at')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('claim')
