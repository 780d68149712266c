"""Fixtures for the document API: the platform's client with a corridor of organisations."""

from __future__ import annotations

import pytest

from tests.integration.documents.corridor import Corridor, build_corridor


@pytest.fixture
def corridor(platform) -> Corridor:
    return build_corridor(platform)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
