"""The README's Deployment section, followed word for word by scripts/deploy-test.sh on a fresh cluster."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.deploy
def test_the_readme_deployment_section_works_on_a_fresh_postgresql_cluster():
    result = subprocess.run(["bash", str(ROOT / "scripts" / "deploy-test.sh")], cwd=ROOT, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-8000:]
    assert "deploy-test: OK" in result.stdout
