"""Configuration: one typed reader, and a start refused with a clear message for each bad setting."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from app.config import ConfigError, Settings, engine_options
from app.extensions import db

ROOT = Path(__file__).resolve().parents[2]


def build(app, **extra):
    fresh = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], **extra})
    with fresh.app_context():
        db.engine.dispose()
    return fresh


@pytest.mark.parametrize(("value", "expected"), [
    ("1", True), ("on", True), ("TRUE", True), ("yes", True), ("ja", True), (" Ja ", True),
    ("0", False), ("off", False), ("false", False), ("no", False), ("nej", False), ("", False),
])
def test_on_off_settings_accept_the_usual_words_danish_included(app, monkeypatch, value, expected):
    monkeypatch.setenv("KP_HTTPS", value)
    assert build(app).config["SESSION_COOKIE_SECURE"] is expected


@pytest.mark.parametrize(("name", "value", "says"), [
    ("KP_HTTPS", "maybe", "KP_HTTPS='maybe' is neither on nor off"),
    ("SMTP_STARTTLS", "2", "SMTP_STARTTLS='2' is neither on nor off"),
    ("KP_TRUSTED_PROXIES", "one", "KP_TRUSTED_PROXIES='one' is not a whole number"),
    ("KP_TRUSTED_PROXIES", "-1", "KP_TRUSTED_PROXIES='-1' must be between 0 and 10"),
    ("SMTP_PORT", "abc", "SMTP_PORT='abc' is not a whole number"),
    ("SMTP_PORT", "70000", "SMTP_PORT='70000' must be between 1 and 65535"),
    ("KP_BASE_URL", "kompetence.example.dk", "KP_BASE_URL='kompetence.example.dk' is not an http"),
])
def test_a_bad_setting_refuses_the_start_and_names_the_setting(app, monkeypatch, name, value, says):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as error:
        build(app)
    assert says in str(error.value)


def test_every_bad_setting_is_named_at_once(app, monkeypatch):
    monkeypatch.setenv("SMTP_PORT", "abc")
    monkeypatch.setenv("KP_TRUSTED_PROXIES", "one")
    with pytest.raises(ConfigError) as error:
        build(app)
    assert len(error.value.problems) == 2


def test_number_settings_at_their_bounds_are_accepted(app, monkeypatch):
    monkeypatch.setenv("SMTP_PORT", "65535")
    monkeypatch.setenv("KP_TRUSTED_PROXIES", "0")
    fresh = build(app)
    assert fresh.config["MAIL_PORT"] == 65535 and fresh.config["TRUSTED_PROXIES"] == 0


def test_production_needs_a_secret_key_and_the_public_address(app, monkeypatch):
    monkeypatch.setenv("KP_PRODUCTION", "on")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("KP_BASE_URL", raising=False)
    with pytest.raises(ConfigError) as error:
        build(app)
    problems = str(error.value)
    assert "SECRET_KEY is not set" in problems and "KP_BASE_URL is not set" in problems
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.setenv("KP_BASE_URL", "https://kompetence.example.dk/")
    fresh = build(app)
    assert fresh.config["PRODUCTION"] is True and fresh.config["BASE_URL"] == "https://kompetence.example.dk"


def test_outside_production_the_key_is_generated_and_the_address_defaults(app, monkeypatch):
    monkeypatch.delenv("KP_PRODUCTION", raising=False)
    monkeypatch.delenv("KP_BASE_URL", raising=False)
    assert build(app).config["BASE_URL"] == "http://127.0.0.1:5000"


def test_the_instance_folder_is_where_kp_instance_dir_says(app, monkeypatch, tmp_path):
    monkeypatch.setenv("KP_INSTANCE_DIR", str(tmp_path / "kp"))
    fresh = create_app({"TESTING": True})
    with fresh.app_context():
        db.engine.dispose()
    assert fresh.instance_path == str(tmp_path / "kp")
    assert fresh.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'kp' / 'kompetenceportalen.db'}"


def test_sql_parameter_values_are_hidden_from_errors(app):
    from sqlalchemy.exc import IntegrityError

    from tests.factories import make_home, make_user

    assert engine_options("sqlite:///x.db")["hide_parameters"] is True
    with app.app_context():
        home = make_home()
        make_user(home, email="same@example.dk")
        db.session.commit()
        with pytest.raises(IntegrityError) as error:
            make_user(home, email="same@example.dk", name="Hemmelig Person")
            db.session.flush()
        db.session.rollback()
    # PostgreSQL's own message may quote the clashing value; the values SQLAlchemy sent are never shown.
    assert "Hemmelig Person" not in str(error.value)
    assert "SQL parameters hidden" in str(error.value)


def test_settings_reader_reads_only_what_it_is_given():
    env = Settings({"N": "7", "B": "nej", "T": "  hej "})
    assert (env.integer("N", 0), env.boolean("B", True), env.text("T"), env.text("MISSING", "x")) == (7, False,
                                                                                                      "hej", "x")
    env.check()


def run_wsgi(**env):
    """Start the real entry point (`flask --app wsgi`) the way an operator does, with this environment."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("KP_", "SMTP_", "DATABASE_URL"))}
    environ.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "routes"], cwd=ROOT, env=environ,
                          capture_output=True, text=True, timeout=60)


def test_the_real_start_names_a_bad_setting_without_a_traceback(tmp_path):
    result = run_wsgi(KP_INSTANCE_DIR=str(tmp_path), SMTP_PORT="abc", KP_HTTPS="ja")
    assert result.returncode == 1
    assert "Kompetenceportalen cannot start:\n- SMTP_PORT='abc' is not a whole number." in result.stderr
    assert "Traceback" not in result.stderr


def test_the_real_start_refuses_an_unreachable_database_without_showing_the_password(tmp_path):
    result = run_wsgi(KP_INSTANCE_DIR=str(tmp_path),
                      DATABASE_URL="postgresql://kp:hemmeligt@127.0.0.1:1/kp?connect_timeout=2")
    assert result.returncode == 1
    assert "The database cannot be reached (postgresql+psycopg://kp:***@127.0.0.1:1/kp" in result.stderr
    assert "hemmeligt" not in result.stderr and "Traceback" not in result.stderr


def test_the_real_start_works_with_a_good_environment(tmp_path):
    result = run_wsgi(KP_INSTANCE_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "healthz" in result.stdout
    assert (tmp_path / "secret_key").exists()


def test_gunicorn_with_the_repository_config_refuses_a_bad_setting_before_any_worker_starts(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("KP_", "SMTP_", "DATABASE_URL"))}
    environ.update(PYTHONPATH=str(ROOT), KP_INSTANCE_DIR=str(tmp_path), KP_TRUSTED_PROXIES="one")
    result = subprocess.run([sys.executable, "-m", "gunicorn", "--bind", "127.0.0.1:0"], cwd=ROOT, env=environ,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Kompetenceportalen cannot start:\n- KP_TRUSTED_PROXIES='one' is not a whole number." in result.stderr
    assert "Booting worker" not in result.stderr and "Traceback" not in result.stderr
