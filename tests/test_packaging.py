"""What the wheel carries: .ci/wheel builds and uses it; this checks, fast, that nothing shipped is left out."""

import tomllib
from fnmatch import fnmatch
from pathlib import Path

from bot.config import BUNDLED_DATA

ROOT = Path(__file__).resolve().parents[1]


def _package_data() -> dict[str, list[str]]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["tool"]["setuptools"]["package-data"]


def test_the_bundled_data_is_the_top_level_data_folder():
    assert BUNDLED_DATA.resolve() == (ROOT / "data").resolve()
    assert (BUNDLED_DATA / "films.yaml").is_file()


def test_every_file_the_bot_reads_at_run_time_is_in_the_wheels_package_data():
    patterns = _package_data()
    shipped = [
        *(("bot", f"bundled/{path.relative_to(ROOT / 'data').as_posix()}") for path in (ROOT / "data").rglob("*")
          if path.is_file()),
        *(("bot.store", f"migrations/{path.name}") for path in (ROOT / "bot/store/migrations").glob("*.sql")),
        *(("bot", path.relative_to(ROOT / "bot").as_posix()) for path in (ROOT / "bot/locale").rglob("*.p*")),
        *(("bot", f"ui/fonts/{path.name}") for path in (ROOT / "bot/ui/fonts").iterdir()),
        *(("bot", f"playground/{path.name}") for path in (ROOT / "bot/playground").glob("*.playground")),
    ]
    assert len(shipped) > 10
    missing = [f"{package}: {path}" for package, path in shipped
               if not any(_matches(path, pattern) for pattern in patterns.get(package, []))]
    assert missing == []


def _matches(path: str, pattern: str) -> bool:
    # fnmatch's * crosses "/", setuptools' glob does not.
    return fnmatch(path, pattern) and path.count("/") == pattern.count("/")
