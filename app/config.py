"""Settings, read from the environment. Every variable here is listed in the README.

`Settings` is the one reader of environment variables: it parses text, numbers and on/off values and
collects every problem, so a start with a bad environment names all of them at once (`ConfigError`).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Mapping
from pathlib import Path

#: Words accepted for an on/off setting. Danish operators write "ja"/"nej", so those count too.
TRUE_WORDS = frozenset({"1", "on", "true", "yes", "ja"})
FALSE_WORDS = frozenset({"0", "off", "false", "no", "nej", ""})


class ConfigError(ValueError):
    """The environment holds settings the app cannot start with; the message names each problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(f"- {problem}" for problem in problems))


class Settings:
    """A typed view of the environment. Reading a bad value records a problem and returns the default;
    `check()` raises one ConfigError listing every problem found."""

    def __init__(self, environ: Mapping[str, str] | None = None):
        self.environ = os.environ if environ is None else environ
        self.problems: list[str] = []

    def is_set(self, name: str) -> bool:
        return bool(self.environ.get(name, "").strip())

    def text(self, name: str, default: str = "") -> str:
        value = self.environ.get(name)
        return default if value is None or not value.strip() else value.strip()

    def integer(self, name: str, default: int, minimum: int | None = 0, maximum: int | None = None) -> int:
        raw = self.environ.get(name)
        if raw is None or not raw.strip():
            return default
        try:
            value = int(raw.strip())
        except ValueError:
            self.problems.append(f"{name}={raw!r} is not a whole number.")
            return default
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = f"between {minimum} and {maximum}" if maximum is not None else f"at least {minimum}"
            self.problems.append(f"{name}={raw!r} must be {bounds}.")
            return default
        return value

    def boolean(self, name: str, default: bool = False) -> bool:
        raw = self.environ.get(name)
        if raw is None:
            return default
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.problems.append(f"{name}={raw!r} is neither on nor off (use on/off, 1/0, true/false, yes/no or ja/nej).")
        return default

    def url(self, name: str, default: str = "") -> str:
        value = self.text(name, default)
        if value and not re.match(r"^https?://[^/\s]+", value):
            self.problems.append(f"{name}={value!r} is not an http:// or https:// address.")
        return value.rstrip("/") if value else value

    def require(self, condition: bool, problem: str) -> None:
        if not condition:
            self.problems.append(problem)

    def check(self) -> None:
        if self.problems:
            raise ConfigError(self.problems)


def instance_dir(settings: Settings | None = None) -> str | None:
    """KP_INSTANCE_DIR as an absolute path (secret key, outbox, backups, the SQLite file), or None for Flask's
    default (`instance/` beside the source, which a pip-installed deployment must not write into)."""
    value = (settings or Settings()).text("KP_INSTANCE_DIR")
    return str(Path(value).expanduser().resolve()) if value else None


def _instance_secret(instance_path: Path) -> str:
    """Return the secret key kept in instance/, creating it (mode 0600) on first use."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def normalise_database_url(url: str) -> str:
    """Let people write postgresql:// and still get the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def engine_options(database_url: str) -> dict:
    """A PostgreSQL connection can be dropped by the server or a proxy, so it is checked before use; an SQLite
    file cannot go stale, and the check would cost a statement on every request. Parameter values are kept
    out of error messages and logs (they can hold names, e-mail addresses and tokens)."""
    return {"pool_pre_ping": not database_url.startswith("sqlite"), "hide_parameters": True}


def check_database(url: str) -> None:
    """Connect once; raise ConfigError (without the password) when the database cannot be reached."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    engine = create_engine(url, **engine_options(url))
    try:
        with engine.connect():
            pass
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        shown = make_url(url).render_as_string(hide_password=True)
        raise ConfigError([f"The database cannot be reached ({shown}): {reason}"]) from error
    finally:
        engine.dispose()


# h6: single sign-on (OpenID Connect); see app/auth/oidc.py and the README's "Single sign-on" section.
def _single_sign_on(env: Settings) -> dict:
    domains = env.text("KP_OIDC_ALLOWED_DOMAINS")
    return {
        "OIDC_ISSUER": env.text("KP_OIDC_ISSUER"),
        "OIDC_METADATA_URL": env.text("KP_OIDC_METADATA_URL"),
        "OIDC_CLIENT_ID": env.text("KP_OIDC_CLIENT_ID"),
        "OIDC_CLIENT_SECRET": env.environ.get("KP_OIDC_CLIENT_SECRET", ""),
        "OIDC_MATCH_CLAIM": env.text("KP_OIDC_MATCH_CLAIM") or "sub",
        "OIDC_EMAIL_CLAIM": env.text("KP_OIDC_EMAIL_CLAIM") or "email",
        "OIDC_SCOPE": env.text("KP_OIDC_SCOPE") or "openid email profile",
        "OIDC_ALLOWED_DOMAINS": [d.strip().lower().lstrip("@") for d in domains.split(",") if d.strip()],
        "LOCAL_PASSWORDS": env.boolean("KP_LOCAL_PASSWORDS", default=True),
    }


class Config:
    TIMEZONE = "Europe/Copenhagen"
    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105  # nosec B105  # a method name, not a password
    TESTING = False

    @classmethod
    def from_environment(cls, instance_path: Path, settings: Settings | None = None) -> dict:
        """Resolve the settings that depend on the environment and instance folder; raise ConfigError
        naming every bad or missing value."""
        env = settings or Settings()
        production = env.boolean("KP_PRODUCTION")
        https = env.boolean("KP_HTTPS")
        database_url = env.text("DATABASE_URL") or f"sqlite:///{instance_path / 'kompetenceportalen.db'}"
        # h5: what a production server cannot start without.
        if production:
            env.require(env.is_set("SECRET_KEY"), "SECRET_KEY is not set. In production every server needs the "
                        "same key (a key per server logs people out between servers).")
            env.require(env.is_set("KP_BASE_URL"), "KP_BASE_URL is not set: the public address "
                        "(e.g. https://kompetence.example.dk) is needed for links in e-mails and calendars.")
        values = {
            "PRODUCTION": production,
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
            "SESSION_COOKIE_SECURE": https,
            "REMEMBER_COOKIE_SECURE": https,
            "PREFERRED_URL_SCHEME": "https" if https else "http",
            "BASE_URL": env.url("KP_BASE_URL", "http://127.0.0.1:5000"),
            "MAIL_SERVER": env.text("SMTP_HOST"),
            "MAIL_PORT": env.integer("SMTP_PORT", 25, minimum=1, maximum=65535),
            "MAIL_USERNAME": env.text("SMTP_USER"),
            "MAIL_PASSWORD": env.text("SMTP_PASSWORD"),
            "MAIL_USE_TLS": env.boolean("SMTP_STARTTLS"),
            "MAIL_SENDER": env.text("SMTP_SENDER", "kompetenceportalen@localhost"),
            "TRUSTED_PROXIES": env.integer("KP_TRUSTED_PROXIES", 0, minimum=0, maximum=10),
            "FAKE_TODAY": env.text("KP_FAKE_TODAY"),
            "OUTBOX_DIR": env.text("KP_OUTBOX_DIR"),
            **_single_sign_on(env),
            # h1: sessions expire; failed logins delay further tries (app/auth/sessions.py, throttle.py).
            "SESSION_IDLE_MINUTES": env.integer("KP_SESSION_IDLE_MINUTES", 120, minimum=1),
            "SESSION_MAX_HOURS": env.integer("KP_SESSION_MAX_HOURS", 12, minimum=1),
            "LOGIN_WINDOW_MINUTES": env.integer("KP_LOGIN_WINDOW_MINUTES", 60, minimum=1),
            "LOGIN_ACCOUNT_FREE_FAILURES": env.integer("KP_LOGIN_ACCOUNT_FREE_FAILURES", 5, minimum=1),
            "LOGIN_ACCOUNT_MAX_DELAY_SECONDS": env.integer("KP_LOGIN_ACCOUNT_MAX_DELAY_SECONDS", 60, minimum=1),
            "LOGIN_ADDRESS_FREE_FAILURES": env.integer("KP_LOGIN_ADDRESS_FREE_FAILURES", 20, minimum=1),
            "LOGIN_ADDRESS_MAX_DELAY_SECONDS": env.integer("KP_LOGIN_ADDRESS_MAX_DELAY_SECONDS", 900, minimum=1),
            # h7: reminders and backups
            "MAIL_TIMEOUT": env.integer("SMTP_TIMEOUT", 30, minimum=1, maximum=600),
            "BACKUP_DIR": env.text("KP_BACKUP_DIR"),
            # h8: the trusted proxy's header telling when it received the request (app/request_start.py).
            "REQUEST_START_HEADER": env.text("KP_REQUEST_START_HEADER", "X-Request-Start"),
        }
        # h1, h6 and others: add your settings here, each in its own block read through `env`.
        env.check()
        values["SECRET_KEY"] = env.text("SECRET_KEY") or _instance_secret(instance_path)
        return values


class TestConfig(Config):
    TESTING = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105  # nosec B105  # fast hashing for tests only
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105  # nosec B105  # tests only
    SERVER_NAME = "localhost"
