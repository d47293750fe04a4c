"""The deployment test needs PostgreSQL, as the README's Deployment section does: it is collected only in the
PostgreSQL run of `make test` (TEST_DATABASE_URL set) and left out of the SQLite run."""

import os


def pytest_collection_modifyitems(config, items):
    if os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"):
        return
    kept = [item for item in items if item.get_closest_marker("deploy") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
