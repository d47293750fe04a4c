"""Migrations that add derived columns fill them for the rows a database already holds."""

from flask_migrate import upgrade
from sqlalchemy import select, text

from app.extensions import db
from app.guidelines.models import GuidelineVersion
from app.people.models import Home
from tests.core.test_danish_order import DANISH_ORDER

BEFORE = "aada5ede41e5"  # the head before the sort keys and the stored guideline HTML

BODY = "# Overskrift\n\n<script>alert(1)</script>\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"


def _rows_before(connection):
    connection.execute(text("INSERT INTO regions (id, name) VALUES (1, 'Region')"))
    for i, name in enumerate(DANISH_ORDER[::2] + DANISH_ORDER[1::2][::-1], start=1):
        connection.execute(text("INSERT INTO homes (id, region_id, name, settings) VALUES (:id, 1, :name, '{}')"),
                           {"id": i, "name": name})
    connection.execute(text("INSERT INTO guidelines (id, region_id, home_id, scope_key, slug, level, created_at) "
                            "VALUES (1, 1, 1, 'home-1', 'test', 'local', '2026-01-01 00:00:00')"))
    connection.execute(text(
        "INSERT INTO guideline_versions (id, guideline_id, number, status, title, document_type, standard, scope, "
        "target_group, revision_responsible, approver_role, effective_from, review, related, cycle, body, "
        "change_note, is_significant, ack_from_number, created_at, source, lock_version) VALUES (1, 1, 1, "
        "'published', 'Test', 'Retningslinje', 'Kompetenceudvikling', 'Alle', '[]', 'head', 'head', '2026-01-01', "
        "'{}', '[]', '[]', :body, '', :yes, 1, '2026-01-01 00:00:00', 'import', 1)"), {"body": BODY, "yes": True})


def test_upgrading_a_database_with_rows_fills_sort_keys_and_guideline_html(app):
    with app.app_context():
        db.session.remove()
        db.drop_all()
        try:
            upgrade(directory="migrations", revision=BEFORE)
            with db.engine.begin() as connection:
                _rows_before(connection)
            upgrade(directory="migrations")
            assert db.session.scalars(select(Home.name).order_by(Home.name_sort_key)).all() == DANISH_ORDER
            html = db.session.get(GuidelineVersion, 1).html
            assert "<h1>Overskrift</h1>" in html and "<table>" in html and "<script" not in html
        finally:
            db.session.remove()
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            db.drop_all()
            db.create_all()
