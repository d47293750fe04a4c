"""The README's Deployment section, followed word for word by scripts/deploy-test.sh on a fresh cluster: the
head created by `flask setup` logs in with the start code, and again through single sign-on."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.deploy
def test_the_readme_deployment_section_works_on_a_fresh_postgresql_cluster():
    # The test OpenID provider the single sign-on step uses runs with this environment's Python.
    env = {**os.environ, "KP_DEPLOY_PYTHON": sys.executable}
    result = subprocess.run(["bash", str(ROOT / "scripts" / "deploy-test.sh")], cwd=ROOT, capture_output=True,
                            text=True, timeout=900, env=env)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-8000:]
    assert "deploy-test: OK" in result.stdout


def test_the_wish_post_pool_runs_the_same_service_on_its_own_port():
    """deploy/kompetenceportalen-posts.service is the main unit with its own port (the one gunicorn.conf.py's
    proxy route and the README name) and description: same user, directory, environment and hardening."""
    root = ROOT

    def settings(name):
        lines = (root / "deploy" / name).read_text().splitlines()
        return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))

    main, posts = settings("kompetenceportalen.service"), settings("kompetenceportalen-posts.service")
    assert posts.pop("ExecStart") == "/opt/kp/venv/bin/gunicorn --bind 127.0.0.1:8001 --workers 2"
    assert main.pop("ExecStart") == "/opt/kp/venv/bin/gunicorn --bind 127.0.0.1:8000"
    assert posts.pop("Description") != main.pop("Description")
    assert posts == main
    assert "127.0.0.1:8001" in (root / "gunicorn.conf.py").read_text()
    assert "kompetenceportalen-posts.service" in (root / "README.md").read_text()
