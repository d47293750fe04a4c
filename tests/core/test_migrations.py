"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL, and go back down."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app.extensions import db


def _drift(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return compare_metadata(context, db.metadata)


def test_migrated_schema_equals_the_models_and_downgrades_cleanly(app):
    with app.app_context():
        db.session.remove()
        db.drop_all()
        try:
            upgrade(directory="migrations")
            with db.engine.connect() as connection:
                assert _drift(connection) == []
            downgrade(directory="migrations", revision="base")
            remaining = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
            assert remaining == set()
        finally:
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            db.drop_all()
            db.create_all()
