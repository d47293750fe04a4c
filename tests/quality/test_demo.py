"""The real indicators every feature registers, on the demo home: every row renders, the snapshot stores them all."""

import re

from sqlalchemy import func, select

from app.extensions import db
from app.hooks import indicators
from app.people.models import Department
from app.quality.models import QualitySnapshot


def test_every_real_indicator_renders_on_the_demo(app, demo, auth, client, runner):
    keys = [i.key for i in indicators()]
    assert keys, "no feature has registered an indicator"
    auth.login("head")
    html = client.get("/quality/").get_data(as_text=True)
    assert re.findall(r'data-indicator="([^"]+)"', html) == keys
    assert "light-error" not in html
    with app.app_context():
        department_id = db.session.scalar(select(Department.id).where(Department.name == "Skovbrynet"))
    html = client.get(f"/quality/?afdeling={department_id}").get_data(as_text=True)
    assert len(re.findall(r'data-indicator="', html)) == len(keys) and "light-error" not in html
    for key in keys:
        assert client.get(f"/quality/indicator/{key}").status_code == 200, key
    pdf = client.get("/quality/report.pdf")
    assert pdf.status_code == 200 and pdf.get_data().startswith(b"%PDF")

    result = runner.invoke(args=["quality", "snapshot"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        departments = db.session.scalar(select(func.count(Department.id)).where(Department.is_active.is_(True)))
        assert db.session.scalar(select(func.count(QualitySnapshot.id))) == len(keys) * (departments + 1)
