"""Templates: items with who/date/note/required, versions that leave assigned checklists alone, retiring."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.onboarding.models import Checklist, ChecklistItem, ChecklistTemplate
from app.onboarding.services import active_template_for
from tests.onboarding.helpers import TODAY, build_org, login


@pytest.fixture
def org(app, set_today):
    set_today(TODAY)
    return build_org(app)


def _form(**overrides):
    data = {"name": "Nyansat i Fyrtårnet", "kind": "permanent", "department_id": "0",
            "items-0-position": "1", "items-0-text": "Føl-dage med erfarne kolleger", "items-0-completed_by": "leader",
            "items-0-needs_note": "y", "items-0-is_required": "y",
            "items-1-position": "", "items-1-text": "", "items-1-completed_by": "self",
            "items-2-position": "2", "items-2-text": "Læst retningslinjen", "items-2-completed_by": "self",
            "items-2-guideline_slug": "kompetenceudvikling"}
    data.update(overrides)
    return data


def test_head_creates_a_template(app, org, make_client):
    head = login(make_client, org.head)
    assert head.get("/onboarding/templates/new").status_code == 200
    response = head.post("/onboarding/templates/new", data=_form())
    assert response.status_code == 302
    with app.app_context():
        template = db.session.scalar(select(ChecklistTemplate).where(ChecklistTemplate.name == "Nyansat i Fyrtårnet"))
        assert [(i.text, i.completed_by, i.needs_note, i.is_required, i.guideline_slug) for i in template.items] == [
            ("Føl-dage med erfarne kolleger", "leader", True, True, None),
            ("Læst retningslinjen", "self", False, False, "kompetenceudvikling"),
        ]


def test_a_template_without_items_is_refused(app, org, make_client):
    head = login(make_client, org.head)
    response = head.post("/onboarding/templates/new", data=_form(**{"items-0-text": "", "items-2-text": ""}))
    assert response.status_code == 400
    assert "En skabelon skal have mindst ét punkt." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(ChecklistTemplate.id))) == 1


def test_bad_guideline_slug_is_refused(app, org, make_client):
    head = login(make_client, org.head)
    response = head.post("/onboarding/templates/new", data=_form(**{"items-2-guideline_slug": "Ikke Et Slug"}))
    assert response.status_code == 400
    assert "Kortnavnet må kun have små bogstaver, tal og bindestreger." in response.get_data(as_text=True)


def test_changing_a_template_leaves_assigned_checklists_alone(app, org, make_client):
    head = login(make_client, org.head)
    page = head.get(f"/onboarding/templates/{org.template_id}/edit").get_data(as_text=True)
    assert "Ændringer gælder kun tjeklister, der tildeles fra nu af" in page
    assert "De 1 tjeklister, der allerede er tildelt, beholder deres punkter" in page
    data = _form(name="Tjekliste for tilkaldevikarer", kind="on_call",
                 **{"items-0-text": "Helt nyt punkt", "items-2-text": ""})
    assert head.post(f"/onboarding/templates/{org.template_id}/edit", data=data).status_code == 302
    with app.app_context():
        template = db.session.get(ChecklistTemplate, org.template_id)
        assert template.revision == 2 and [i.text for i in template.items] == ["Helt nyt punkt"]
        items = db.session.scalars(select(ChecklistItem.text).where(ChecklistItem.checklist_id == org.checklist_id)
                                   .order_by(ChecklistItem.position)).all()
        assert len(items) == 5 and items[0] == "E-learning i Lov om voksenansvar"
        assert db.session.get(Checklist, org.checklist_id).template_revision == 1


def test_a_template_in_use_cannot_be_deleted_but_can_be_retired(app, org, make_client):
    head = login(make_client, org.head)
    response = head.post(f"/onboarding/templates/{org.template_id}/delete")
    assert response.status_code == 400
    assert "kan ikke slettes. Tag den ud af brug i stedet" in response.get_data(as_text=True)
    assert head.post(f"/onboarding/templates/{org.template_id}/retire", data={"retire": "1"}).status_code == 302
    with app.app_context():
        assert db.session.get(ChecklistTemplate, org.template_id).is_retired
        assert active_template_for(org.home_id, "on_call", [org.dep_a]) is None
        assert db.session.get(Checklist, org.checklist_id) is not None
    assert head.post(f"/onboarding/templates/{org.template_id}/retire", data={"retire": "0"}).status_code == 302
    with app.app_context():
        assert not db.session.get(ChecklistTemplate, org.template_id).is_retired


def test_an_unused_template_can_be_deleted(app, org, make_client):
    head = login(make_client, org.head)
    head.post("/onboarding/templates/new", data=_form())
    with app.app_context():
        template_id = db.session.scalar(select(ChecklistTemplate.id).where(
            ChecklistTemplate.name == "Nyansat i Fyrtårnet"))
    assert head.post(f"/onboarding/templates/{template_id}/delete").status_code == 302
    with app.app_context():
        assert db.session.get(ChecklistTemplate, template_id) is None


def test_department_leader_keeps_only_own_departments_templates(app, org, make_client):
    leader = login(make_client, org.leader_b)
    assert leader.get(f"/onboarding/templates/{org.template_id}/edit").status_code == 403
    assert leader.post(f"/onboarding/templates/{org.template_id}/delete").status_code == 403
    refused = leader.post("/onboarding/templates/new", data=_form(department_id=str(org.dep_a)))
    assert refused.status_code == 400  # not among the leader's choices
    response = leader.post("/onboarding/templates/new", data=_form(department_id=str(org.dep_b), kind="on_call"))
    assert response.status_code == 302
    with app.app_context():
        own = active_template_for(org.home_id, "on_call", [org.dep_b])
        assert own.department_id == org.dep_b and own.name == "Nyansat i Fyrtårnet"
        assert active_template_for(org.home_id, "on_call", [org.dep_a]).id == org.template_id
