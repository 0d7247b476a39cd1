"""The loopback provider server, one per test."""

from __future__ import annotations

import pytest_asyncio

from tests.catalogue.providers.loopback import Loopback


@pytest_asyncio.fixture
async def server():
    loopback = Loopback()
    await loopback.start()
    yield loopback
    await loopback.stop()
