"""The one place kinoclub reads the time, so tests and the playground can move it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime


def _system() -> datetime:
    return datetime.now(UTC)


_source: Callable[[], datetime] = _system


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    return _source()


def now_iso() -> str:
    return now().isoformat(timespec="seconds")


def use(source: Callable[[], datetime] | None) -> None:
    """Read the time from `source` from now on (a simulated clock in tests and the playground);
    None goes back to the system clock."""
    global _source
    _source = source or _system
