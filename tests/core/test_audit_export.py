"""`flask audit export --since`: the audit trail as JSON lines for the region's log system."""

import json
from datetime import UTC, datetime

from app.audit.models import AuditEntry
from app.extensions import db
from tests.factories import make_home


def add_entries(app):
    with app.app_context():
        home = make_home()
        for at, action in [(datetime(2026, 9, 30, 21, 59, tzinfo=UTC), "before"),   # 23.59 in Copenhagen
                           (datetime(2026, 9, 30, 22, 0, tzinfo=UTC), "first"),     # 1 October 00.00
                           (datetime(2026, 11, 2, 8, 0, tzinfo=UTC), "later")]:
            db.session.add(AuditEntry(at=at, action=action, home_id=home.id, object_type="User", object_id=7,
                                      summary="x", detail={"field": "name"}))
        db.session.commit()


def test_export_writes_one_json_object_per_entry_from_the_day_on(app, runner):
    add_entries(app)
    result = runner.invoke(args=["audit", "export", "--since", "2026-10-01"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["action"] for line in lines] == ["first", "later"]
    assert lines[0]["at"].startswith("2026-09-30T22:00:00") and lines[0]["object_id"] == 7
    assert lines[0]["detail"] == {"field": "name"}
    assert "2 audit entries since 2026-10-01" in result.stderr


def test_export_to_a_file(app, runner, tmp_path):
    add_entries(app)
    target = tmp_path / "audit.jsonl"
    result = runner.invoke(args=["audit", "export", "--since", "2026-09-30", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["action"] for line in target.read_text().splitlines()] == ["before", "first", "later"]


def test_export_needs_a_valid_date(runner):
    result = runner.invoke(args=["audit", "export", "--since", "1. oktober"])
    assert result.exit_code == 2 and "--since" in result.output
