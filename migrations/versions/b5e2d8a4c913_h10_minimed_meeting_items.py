"""Mini-MED meeting items: the competence plan's approval, the tilbudsplan's presentation and evaluation, and
the departments' autumn suggestions for next year's tilbudsplan

Revision ID: b5e2d8a4c913
Revises: b2e8f4a61c93
Create Date: 2026-12-03 12:10:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b5e2d8a4c913'
down_revision = 'b2e8f4a61c93'
branch_labels = None
depends_on = None


def _fk(table, column, target):
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=op.f(f'fk_{table}_{column}_{target}'))


def upgrade():
    op.create_table(
        'competence_plan_approvals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('home_id', sa.Integer(), nullable=False),
        sa.Column('plan_id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('decided_at', sa.DateTime(), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), nullable=True),
        _fk('competence_plan_approvals', 'decided_by_id', 'users'),
        _fk('competence_plan_approvals', 'home_id', 'homes'),
        _fk('competence_plan_approvals', 'meeting_id', 'mini_med_meetings'),
        _fk('competence_plan_approvals', 'plan_id', 'competence_plans'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_competence_plan_approvals')),
        sa.UniqueConstraint('meeting_id', name=op.f('uq_competence_plan_approvals_meeting_id')),
        sa.UniqueConstraint('plan_id', name=op.f('uq_competence_plan_approvals_plan_id')),
    )
    op.create_table(
        'tilbudsplan_presentations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('home_id', sa.Integer(), nullable=False),
        sa.Column('tilbudsplan_version_id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        _fk('tilbudsplan_presentations', 'home_id', 'homes'),
        _fk('tilbudsplan_presentations', 'meeting_id', 'mini_med_meetings'),
        _fk('tilbudsplan_presentations', 'recorded_by_id', 'users'),
        _fk('tilbudsplan_presentations', 'tilbudsplan_version_id', 'tilbudsplan_versions'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tilbudsplan_presentations')),
        sa.UniqueConstraint('meeting_id', name=op.f('uq_tilbudsplan_presentations_meeting_id')),
    )
    op.create_table(
        'tilbudsplan_evaluations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('home_id', sa.Integer(), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('evaluation', sa.Text(), nullable=False),
        sa.Column('suggestions_note', sa.Text(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        _fk('tilbudsplan_evaluations', 'home_id', 'homes'),
        _fk('tilbudsplan_evaluations', 'meeting_id', 'mini_med_meetings'),
        _fk('tilbudsplan_evaluations', 'recorded_by_id', 'users'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tilbudsplan_evaluations')),
        sa.UniqueConstraint('home_id', 'year', name=op.f('uq_tilbudsplan_evaluations_home_id_year')),
        sa.UniqueConstraint('meeting_id', name=op.f('uq_tilbudsplan_evaluations_meeting_id')),
    )
    op.create_table(
        'department_suggestions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('home_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('meeting_on', sa.Date(), nullable=False),
        sa.Column('suggestions', sa.Text(), nullable=False),
        sa.Column('methods_development', sa.Text(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        _fk('department_suggestions', 'department_id', 'departments'),
        _fk('department_suggestions', 'home_id', 'homes'),
        _fk('department_suggestions', 'recorded_by_id', 'users'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_department_suggestions')),
        sa.UniqueConstraint('department_id', 'year', name=op.f('uq_department_suggestions_department_id_year')),
    )
    for table in ('competence_plan_approvals', 'tilbudsplan_presentations', 'tilbudsplan_evaluations',
                  'department_suggestions'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_home_id'), ['home_id'], unique=False)
    with op.batch_alter_table('tilbudsplan_presentations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tilbudsplan_presentations_tilbudsplan_version_id'),
                              ['tilbudsplan_version_id'], unique=False)


def downgrade():
    with op.batch_alter_table('tilbudsplan_presentations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tilbudsplan_presentations_tilbudsplan_version_id'))
    for table in ('department_suggestions', 'tilbudsplan_evaluations', 'tilbudsplan_presentations',
                  'competence_plan_approvals'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_home_id'))
        op.drop_table(table)
