"""Entry point for gunicorn and the flask command: `gunicorn wsgi:app`."""

import sys

from app import create_app
from app.config import ConfigError

try:
    app = create_app()
except ConfigError as error:
    sys.exit(f"Kompetenceportalen cannot start:\n{error}")
