"""Settings for a test app and its write key, for every folder that starts one. The ``seeded`` and
``client`` fixtures over the shared ``store`` fixture are in tests/api/conftest.py."""
from __future__ import annotations

from service.settings import Settings

API_KEY = "test-key-not-secret"


def settings(**overrides) -> Settings:
    """Settings for a test app, whatever ACTORGRAPH_* the shell that runs the tests has set."""
    return Settings(**{"store": "embedded", "api_key": API_KEY, "read_requires_key": False, **overrides})
