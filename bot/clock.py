"""The one place kinoclub reads the time, so tests and the playground can move it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

_source: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    return _source()


def now_iso() -> str:
    return now().isoformat(timespec="seconds")


def use(source: Callable[[], datetime]) -> None:
    """Read the time from `source` from now on (a simulated clock in tests and the playground)."""
    global _source
    _source = source
