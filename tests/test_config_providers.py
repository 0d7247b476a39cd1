"""The `providers:` settings and TMDB's read token: read like Discord's, and never in a message, a log line
or `kinoclub config check`'s output. The CLI runs as a subprocess, as the admin types it."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, parse_config, tmdb_token
from bot.config_providers import TMDB_TOKEN_ENV, ProvidersConfig, TmdbTokenError

ROOT = Path(__file__).resolve().parent.parent
DISCORD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.fake-test.token-never-to-be-printed"
# The shape of TMDB's read access token (a JWT), made up for these tests.
TMDB = "eyJhbGciOiJIUzI1NiJ9.eyJhdWQiOiJraW5vY2x1Yi10ZXN0In0.Zm9vQmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZg"
AS_AN_ORDINARY_USER = (
    ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.name == "posix" and os.geteuid() == 0 else []
)


def config_with(**providers) -> object:
    return parse_config({"providers": providers}, environ={})


def kinoclub(folder: Path, settings: str, *, tmdb: str | None = None, prefix: tuple[str, ...] = ()):
    """`kinoclub config check` in `folder` with this config.yaml, KINOCLUB_TMDB_TOKEN set to `tmdb`."""
    (folder / "config.yaml").write_text(f"database:\n  path: {folder / 'club.db'}\n{settings}", encoding="utf-8")
    environ = {key: value for key, value in os.environ.items() if not key.startswith("KINOCLUB_")}
    environ |= {"PYTHONPATH": str(ROOT), "KINOCLUB_TOKEN": DISCORD_TOKEN}
    if tmdb is not None:
        environ[TMDB_TOKEN_ENV] = tmdb
    return subprocess.run(
        [*prefix, sys.executable, "-m", "bot", "config", "check"],
        capture_output=True, text=True, cwd=folder, env=environ, stdin=subprocess.DEVNULL, timeout=120, check=False,
    )


# ------------------------------------------------------------------------------------------- settings


def test_the_defaults_turn_on_wikidata_and_tmdb_only_with_a_token():
    config = parse_config({}, environ={})
    assert config.providers == ProvidersConfig(wikidata=True, tmdb=True, tmdb_token_file=None, timeout=1.0)
    assert tmdb_token(config, {}) is None


def test_the_settings_are_read_and_a_whole_number_of_seconds_is_a_timeout():
    config = config_with(wikidata=False, tmdb=False, tmdb_token_file="~/tmdb.token", timeout=2)
    assert config.providers == ProvidersConfig(False, False, Path("~/tmdb.token").expanduser(), 2.0)


@pytest.mark.parametrize(
    ("providers", "said"),
    [
        ({"wikidata": "yes"}, "providers.wikidata: expected true or false, got 'yes'"),
        ({"timeout": 5}, "providers.timeout: expected a number of seconds from 0.1 to 2.5, got 5"),
        ({"timeout": True}, "providers.timeout: expected a number of seconds from 0.1 to 2.5, got True"),
        ({"timeout": "1s"}, "providers.timeout: expected a number of seconds from 0.1 to 2.5, got '1s'"),
        ({"tmdb_token_file": ""}, "providers.tmdb_token_file: expected a file path or null, got ''"),
        ({"omdb": True}, "providers.omdb: unknown key (known keys: timeout, tmdb, tmdb_token_file, wikidata)"),
    ],
)
def test_a_bad_setting_is_refused_with_its_key(providers, said):
    with pytest.raises(ConfigError) as refused:
        config_with(**providers)
    assert refused.value.problems == [said]


@pytest.mark.parametrize("key", ["tmdb_token", "api_key"])
def test_the_token_in_the_config_file_is_refused_and_not_printed(key):
    with pytest.raises(ConfigError) as refused:
        config_with(**{key: TMDB})
    (problem,) = refused.value.problems
    assert problem.startswith(f"providers.{key}: the TMDB token is never read from the config file; set ")
    assert TMDB not in problem


def test_the_token_pasted_as_the_file_name_is_refused_and_not_printed():
    with pytest.raises(ConfigError) as refused:
        config_with(tmdb_token_file=TMDB)
    (problem,) = refused.value.problems
    assert problem.startswith("providers.tmdb_token_file: the value looks like the token itself and was not printed")
    assert TMDB not in str(refused.value) and TMDB[:20] not in str(refused.value)


# -------------------------------------------------------------------------------------------- the token


def test_the_token_comes_from_the_environment_first_then_the_file(tmp_path):
    token_file = tmp_path / "tmdb.token"
    token_file.write_text(f"{TMDB}\n", encoding="utf-8")
    token_file.chmod(0o600)
    config = config_with(tmdb_token_file=str(token_file))
    assert tmdb_token(config, {}) == TMDB
    assert tmdb_token(config, {TMDB_TOKEN_ENV: "  from-the-environment \n"}) == "from-the-environment"
    assert TMDB not in repr(config)
    # TMDB turned off: the token is not even read.
    assert tmdb_token(config_with(tmdb=False, tmdb_token_file=str(token_file)), {TMDB_TOKEN_ENV: TMDB}) is None


def _refusal(config, environ=None) -> str:
    with pytest.raises(TmdbTokenError) as refused:
        tmdb_token(config, environ or {})
    return str(refused.value)


def test_a_token_file_that_cannot_hold_a_token_is_refused_without_its_content(tmp_path):
    big = tmp_path / "big.token"
    big.write_text(TMDB * 100, encoding="utf-8")
    said = _refusal(config_with(tmdb_token_file=str(big)))
    assert said == f"providers.tmdb_token_file: {big} is larger than a token; it must hold the TMDB read token alone"

    two_lines = tmp_path / "two.token"
    two_lines.write_text(f"{TMDB}\n{TMDB}\n", encoding="utf-8")
    assert _refusal(config_with(tmdb_token_file=str(two_lines))) == (
        "providers.tmdb_token_file holds more than one line; it must hold the TMDB read token alone"
    )
    binary = tmp_path / "binary.token"
    binary.write_bytes(b"\xff\xfe" + TMDB.encode())
    assert "is not text" in _refusal(config_with(tmdb_token_file=str(binary)))
    empty = tmp_path / "empty.token"
    empty.write_text("\n", encoding="utf-8")
    assert "the file is empty" in _refusal(config_with(tmdb_token_file=str(empty)))
    assert "is not a plain file" in _refusal(config_with(tmdb_token_file=str(tmp_path)))
    gone = _refusal(config_with(tmdb_token_file=str(tmp_path / "gone")))
    assert gone.startswith(f"providers.tmdb_token_file: cannot read {tmp_path / 'gone'} (No such file")
    spaced = _refusal(config_with(), {TMDB_TOKEN_ENV: "two words"})
    assert spaced.startswith(f"{TMDB_TOKEN_ENV} does not hold a token")
    assert all(TMDB not in text for text in (said, gone, spaced))


def test_the_token_never_reaches_a_log_line(tmp_path, caplog):
    token_file = tmp_path / "tmdb.token"
    token_file.write_text(TMDB, encoding="utf-8")
    token_file.chmod(0o644)
    caplog.set_level(logging.DEBUG)
    assert tmdb_token(config_with(tmdb_token_file=str(token_file)), {}) == TMDB
    assert "can be read by other users" in caplog.text and "chmod 600" in caplog.text
    # Whoever logs a request with its headers afterwards, the token is cut out of the line.
    logging.getLogger("aiohttp.client").debug("GET /3/find headers {'Authorization': 'Bearer %s'}", TMDB)
    assert "Bearer [token]" in caplog.text
    assert TMDB not in caplog.text and all(TMDB not in record.getMessage() for record in caplog.records)


# ---------------------------------------------------------------------------------------- config check


def _line(out: str, key: str) -> str:
    (line,) = [line for line in out.splitlines() if line.split()[:1] == [key]]
    return line


def test_config_check_says_the_token_is_set_and_where_never_what(tmp_path):
    done = kinoclub(tmp_path, "providers:\n  timeout: 2\n", tmdb=TMDB)
    assert done.returncode == 0, done.stderr
    assert "set (environment)" in _line(done.stdout, "providers.tmdb_token")
    assert "2.0" in _line(done.stdout, "providers.timeout") and "config.yaml" in _line(done.stdout, "providers.timeout")
    assert "(default)" in _line(done.stdout, "providers.wikidata")
    assert TMDB not in done.stdout + done.stderr and TMDB[:24] not in done.stdout + done.stderr


def test_config_check_without_a_token_says_not_set(tmp_path):
    done = kinoclub(tmp_path, "")
    assert done.returncode == 0, done.stderr
    assert "not set" in _line(done.stdout, "providers.tmdb_token")


def test_config_check_reads_the_token_file_and_names_its_problems_without_its_content(tmp_path):
    token_file = tmp_path / "tmdb.token"
    token_file.write_text(TMDB, encoding="utf-8")
    token_file.chmod(0o600)
    done = kinoclub(tmp_path, f"providers:\n  tmdb_token_file: {token_file}\n")
    assert done.returncode == 0, done.stderr
    assert "set (file)" in _line(done.stdout, "providers.tmdb_token")

    token_file.write_text(TMDB * 100, encoding="utf-8")
    done = kinoclub(tmp_path, f"providers:\n  tmdb_token_file: {token_file}\n")
    assert done.returncode == 2
    assert f"providers.tmdb_token_file: {token_file} is larger than a token" in done.stderr
    assert TMDB not in done.stdout + done.stderr


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_config_check_names_an_unreadable_token_file(tmp_path):
    token_file = tmp_path / "tmdb.token"
    token_file.write_text(TMDB, encoding="utf-8")
    token_file.chmod(0o000)
    done = kinoclub(tmp_path, f"providers:\n  tmdb_token_file: {token_file}\n", prefix=tuple(AS_AN_ORDINARY_USER))
    assert done.returncode == 2, done.stdout
    assert f"providers.tmdb_token_file: cannot read {token_file} (Permission denied)" in done.stderr
    assert TMDB not in done.stdout + done.stderr


def test_config_check_refuses_the_token_written_into_the_config_file_without_printing_it(tmp_path):
    done = kinoclub(tmp_path, f"providers:\n  tmdb_token: {TMDB}\n")
    assert done.returncode == 2
    assert "providers.tmdb_token: the TMDB token is never read from the config file" in done.stderr
    assert TMDB not in done.stdout + done.stderr
