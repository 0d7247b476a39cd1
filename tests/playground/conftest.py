"""What every playground test starts from."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def settings(tmp_path: Path) -> Path:
    """A settings file of its own, so a config.yaml lying around cannot change what the test sees."""
    path = tmp_path / "config.yaml"
    path.write_text("logging:\n  level: WARNING\n", encoding="utf-8")
    return path
