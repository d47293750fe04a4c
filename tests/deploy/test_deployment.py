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
