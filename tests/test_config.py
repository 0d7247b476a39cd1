"""Settings: every malformed case is refused at start with the key named, exit code 2."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import (
    DATABASE_ENV,
    TOKEN_ENV,
    Config,
    RedactToken,
    TokenMissing,
    load_config,
    parse_config,
    read_token,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "config.example.yaml"


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        ("weekly:\n  closes: friday\n", 'weekly.closes: expected "DAY HH:MM", got "friday"'),
        ("weekly:\n  opens: mon 25:00\n", 'weekly.opens: expected "DAY HH:MM" with a time from 00:00 to 23:59'),
        ("weekly:\n  opens: someday 10:00\n", 'weekly.opens: expected "DAY HH:MM" with DAY one of mon'),
        ("weekly:\n  candidates: 1\n", "weekly.candidates: expected a number from 2 to 10, got 1"),
        ("weekly:\n  candidates: four\n", "weekly.candidates: expected a whole number, got 'four'"),
        ("weekly:\n  counts: sometimes\n", 'weekly.counts: expected "visible" or "hidden", got "sometimes"'),
        ("weekly:\n  screening: saturday\n", 'weekly.screening: expected "DAY HH:MM", got "saturday"'),
        ("weekly:\n  nominations: maybe\n", "weekly.nominations: expected true or false, got 'maybe'"),
        ("club:\n  timezone: Mars/Olympus\n", 'club.timezone: expected an IANA time zone such as "Europe/Moscow"'),
        ("club:\n  moderator_roles: ['']\n", "club.moderator_roles: expected role names of 1 to 100 characters"),
        ("club:\n  moderator_roles: 7\n", "club.moderator_roles: expected a list of text, got 7"),
        (
            "club:\n  moderatr_roles: [Mods]\n",
            "club.moderatr_roles: unknown key (known keys: moderator_roles, timezone)",
        ),
        ("discord:\n  token: abc.def\n", "discord.token: the token is never read from the config file"),
        ("discord:\n  dev_guild_id: -5\n", "discord.dev_guild_id: expected a Discord server id"),
        ("discord:\n  dev_guild_id: '12'\n", "discord.dev_guild_id: expected a whole number or null, got '12'"),
        ("database:\n  path: ''\n", "database.path: expected a file path, got ''"),
        ("catalogue:\n  load_on_start: maybe\n", "catalogue.load_on_start: expected true or false, got 'maybe'"),
        (
            "logging:\n  level: LOUD\n",
            'logging.level: expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got "LOUD"',
        ),
        ("weather:\n  sunny: true\n", "weather: unknown section"),
        ("club: [1, 2]\n", "club: expected a mapping of settings, got list"),
        ("- just\n- a list\n", "the config file must be a mapping of sections, got list"),
        ("weekly:\n  closes: 'fri 20:00\n", "not valid YAML"),
    ],
)
def test_malformed_settings_are_refused_with_the_key_named(tmp_path, capsys, yaml_text, message):
    path = tmp_path / "config.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    assert main(["config", "check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "the configuration is not valid" in err
    assert message in err


def test_every_problem_is_reported_at_once(tmp_path, capsys):
    path = tmp_path / "config.yaml"
    path.write_text("weekly:\n  closes: friday\n  candidates: 40\n", encoding="utf-8")
    assert main(["config", "check", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "weekly.closes" in err and "weekly.candidates" in err


def test_a_missing_config_file_named_explicitly_is_an_error(tmp_path, capsys):
    assert main(["config", "check", "--config", str(tmp_path / "nope.yaml")]) == 2
    assert "cannot read the config file" in capsys.readouterr().err


def test_the_example_config_is_valid_and_matches_the_defaults():
    assert load_config(EXAMPLE, environ={}) == Config()


def test_no_file_means_the_built_in_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert load_config(None, environ={}) == Config()


def test_the_database_path_can_come_from_the_environment():
    config = parse_config({"database": {"path": "a.db"}}, environ={DATABASE_ENV: "/data/kino.db"})
    assert config.database.path == Path("/data/kino.db")


def test_the_token_comes_from_the_environment_or_a_file_never_the_config(tmp_path):
    config = parse_config({}, environ={})
    assert read_token(config, {TOKEN_ENV: " secret-token \n"}) == "secret-token"
    with pytest.raises(TokenMissing, match=TOKEN_ENV):
        read_token(config, {})
    token_file = tmp_path / "token"
    token_file.write_text("file-token\n", encoding="utf-8")
    config = parse_config({"discord": {"token_file": str(token_file)}}, environ={})
    assert read_token(config, {}) == "file-token"
    assert "file-token" not in repr(config)
    missing = parse_config({"discord": {"token_file": str(tmp_path / "gone")}}, environ={})
    with pytest.raises(TokenMissing, match=r"discord\.token_file: cannot read"):
        read_token(missing, {})


def test_run_without_a_token_says_how_to_set_one_and_exits_2(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "export KINOCLUB_TOKEN=" in err and "discord.com/developers/applications" in err
    assert not (tmp_path / "kinoclub.db").exists()  # nothing started


def test_the_token_never_reaches_a_log_line(caplog):
    handler = logging.StreamHandler()
    handler.addFilter(RedactToken("MTIz.secret.token"))
    record = logging.LogRecord("discord", logging.INFO, __file__, 1, "connecting with %s", ("MTIz.secret.token",), None)
    handler.filter(record)
    assert record.getMessage() == "connecting with [token]"


def test_run_with_a_token_goes_to_discord_and_explains_when_it_cannot_get_there(tmp_path, monkeypatch, capsys):
    import discord.http

    # Discord's API moved to a closed loopback port: the login is really attempted, and refused.
    monkeypatch.setattr(discord.http.Route, "BASE", "http://127.0.0.1:9/api/v10")
    monkeypatch.setenv(TOKEN_ENV, "MTIz.not-a-real.token")
    monkeypatch.chdir(tmp_path)
    assert main(["run"]) == 1
    err = capsys.readouterr().err
    assert "cannot reach Discord" in err and "127.0.0.1:9" in err
    assert "Traceback" not in err and "MTIz.not-a-real.token" not in err
