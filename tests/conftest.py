"""Shared test configuration: hypothesis profiles and fixture plugins split by topic."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile(
    "ci", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

pytest_plugins = [
    "tests.plugins.database",
    "tests.plugins.platform",
    "tests.plugins.browser",
]
