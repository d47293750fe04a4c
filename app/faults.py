"""Fault injection for crash-safety tests.

A multi-step action calls `checkpoint("name")` between its steps. When the environment variable
KP_CRASH_AT names that checkpoint, the process dies on the spot (as if killed), so a test can show
that the database is left as before or after the action, never in between. Unset, it does nothing.
"""

import os


def checkpoint(name: str) -> None:
    if os.environ.get("KP_CRASH_AT") == name:
        os._exit(70)
