"""The tilbudsplan's stored revisions: numbered per home and year, rendered through the sanitising renderer,
and locked once they leave draft."""

import pytest
from sqlalchemy.exc import IntegrityError

from app.competence.models import TilbudsplanVersion
from app.extensions import db
from tests.factories import make_home


def test_text_is_rendered_and_sanitised_when_written(app):
    with app.app_context():
        home = make_home()
        plan = TilbudsplanVersion(home_id=home.id, year=2027, body="# Tilbud\n\n<script>x()</script>**KRAP**")
        db.session.add(plan)
        db.session.commit()
        assert "<strong>KRAP</strong>" in plan.body_html
        assert "<script" not in plan.body_html
        plan.body = "Ny tekst"
        db.session.commit()
        assert "Ny tekst" in plan.body_html and "KRAP" not in plan.body_html


def test_only_a_draft_is_editable(app):
    with app.app_context():
        home = make_home()
        plan = TilbudsplanVersion(home_id=home.id, year=2027)
        assert plan.status in (None, "draft") and not TilbudsplanVersion(status="draft").is_locked
        for status in ("approved", "published", "superseded"):
            assert TilbudsplanVersion(status=status).is_locked
        assert TilbudsplanVersion(status="published").status_label == "Offentliggjort"


def test_a_revision_number_is_unique_per_home_and_year(app):
    with app.app_context():
        home, other = make_home(), make_home()
        db.session.add_all([TilbudsplanVersion(home_id=home.id, year=2027, number=1),
                            TilbudsplanVersion(home_id=home.id, year=2028, number=1),
                            TilbudsplanVersion(home_id=other.id, year=2027, number=1)])
        db.session.commit()
        db.session.add(TilbudsplanVersion(home_id=home.id, year=2027, number=1))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
