"""Shared test configuration: hypothesis profiles and fixture plugins split by topic."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# Tests drive one platform far faster than any client may in production; the limits' own tests
# (tests/api/test_limits.py) build their settings with the production defaults.
os.environ.setdefault("TRANSCASPIAN_RATE_LIMIT", "100000/second")
os.environ.setdefault("TRANSCASPIAN_AUTH_FAILURE_LIMIT", "100000/second")

pytest_plugins = [
    "tests.plugins.database",
    "tests.plugins.platform",
    "tests.plugins.browser",
]
