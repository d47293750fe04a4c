"""Absolute URLs for links that leave the browser: the calendar feed, e-mails, addresses people copy into other
tools. They are built from the configured public address (``KP_BASE_URL``), never from the request's Host
header, which the client chooses: a forged Host would otherwise put another site's address into a feed link,
a calendar entry or a reminder."""

from __future__ import annotations

from flask import current_app, url_for


def base_url() -> str:
    """The configured public address, without a trailing slash."""
    return current_app.config["BASE_URL"].rstrip("/")


def external_url(endpoint: str, **values) -> str:
    """`url_for(endpoint, **values)` under the configured public address."""
    return base_url() + url_for(endpoint, **values)
