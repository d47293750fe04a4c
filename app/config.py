"""Settings, read from the environment. Every variable here is listed in the README."""

import os
import secrets
from pathlib import Path


def _instance_secret(instance_path: Path) -> str:
    """Return the secret key kept in instance/, creating it (mode 0600) on first use."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Let people write postgresql:// and still get the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def engine_options(database_url: str) -> dict:
    """A PostgreSQL connection can be dropped by the server or a proxy, so it is checked before use; an SQLite
    file cannot go stale, and the check would cost a statement on every request."""
    return {"pool_pre_ping": not database_url.startswith("sqlite")}


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
    LOGIN_MAX_FAILURES = 5
    LOGIN_WINDOW_MINUTES = 15
    TESTING = False

    @classmethod
    def from_environment(cls, instance_path: Path) -> dict:
        """Resolve the settings that depend on the environment and instance folder."""
        https = _bool("KP_HTTPS")
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance_path / 'kompetenceportalen.db'}"
        return {
            "SECRET_KEY": os.environ.get("SECRET_KEY") or _instance_secret(instance_path),
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(database_url),
            "SESSION_COOKIE_SECURE": https,
            "REMEMBER_COOKIE_SECURE": https,
            "PREFERRED_URL_SCHEME": "https" if https else "http",
            "BASE_URL": os.environ.get("KP_BASE_URL", "http://127.0.0.1:5000"),
            "MAIL_SERVER": os.environ.get("SMTP_HOST", ""),
            "MAIL_PORT": int(os.environ.get("SMTP_PORT", "25")),
            "MAIL_USERNAME": os.environ.get("SMTP_USER", ""),
            "MAIL_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
            "MAIL_USE_TLS": _bool("SMTP_STARTTLS"),
            "MAIL_SENDER": os.environ.get("SMTP_SENDER", "kompetenceportalen@localhost"),
            "TRUSTED_PROXIES": int(os.environ.get("KP_TRUSTED_PROXIES", "0")),
            # h8: the trusted proxy's header telling when it received the request (app/request_start.py).
            "REQUEST_START_HEADER": os.environ.get("KP_REQUEST_START_HEADER", "X-Request-Start"),
            "FAKE_TODAY": os.environ.get("KP_FAKE_TODAY", ""),
            "OUTBOX_DIR": os.environ.get("KP_OUTBOX_DIR", ""),
        }


class TestConfig(Config):
    TESTING = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105  # nosec B105  # fast hashing for tests only
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105  # nosec B105  # tests only
    SERVER_NAME = "localhost"
