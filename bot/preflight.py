"""What `kinoclub run` needs before it connects, checked without changing anything.

`run` and `config check` both call `preflight`, so a check that passes is the truth about `run`:
the token is present and readable, the data folder and the chosen lists are there, and the
database's folder may be written. `settings_in_force` is what `config check` shows beside it.
"""

from __future__ import annotations

import dataclasses
import os
import typing
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from bot.catalogue.bundled import BundleError, read_bundle
from bot.config import DATABASE_ENV, Config, Loaded, TokenMissing, read_token, redact
from bot.config_providers import TMDB_TOKEN_ENV, TmdbTokenError, tmdb_token, tmdb_token_source


@dataclass(frozen=True)
class Readiness:
    token: str | None  # never printed; None when it could not be read
    problems: list[str]  # each starts with the key it is about


def preflight(config: Config, environ: typing.Mapping[str, str] | None = None) -> Readiness:
    problems: list[str] = []
    token: str | None = None
    try:
        token = read_token(config, environ)
    except TokenMissing as exc:
        problems.append(f"token: {exc}")
    try:
        tmdb_token(config, environ)
    except TmdbTokenError as exc:
        text = str(exc)
        problems.append(text if text.startswith("providers.") else f"providers.tmdb_token: {text}")
    problems += _data_problems(config)
    problems += _database_problems(config.database.path)
    try:
        zoneinfo.ZoneInfo(config.club.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # Valid when parsed, so the machine lost its zone database: tzdata is a dependency for that.
        problems.append(f"club.timezone: this machine has no time zone data for {config.club.timezone!r}")
    return Readiness(token, problems)


def _data_problems(config: Config) -> list[str]:
    data_dir = config.catalogue.data_dir
    if not data_dir.is_dir():
        return [f"catalogue.data_dir: {data_dir} is not a folder holding films.yaml and lists/"]
    if not config.catalogue.load_on_start:
        return []
    try:
        read_bundle(data_dir, config.catalogue.lists)
    except BundleError as exc:
        text = str(exc)
        return [text if text.startswith("catalogue.") else f"catalogue.data_dir: {text}"]
    return []


def _database_problems(path: Path) -> list[str]:
    if path.is_dir():
        return [f"database.path: {path} is a folder; it must name a file"]
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        return [f"database.path: {path} is read-only for this user; kinoclub must write to it"]
    # The folder need not exist yet (the store creates it): the nearest one that does must be writable.
    folder = path.absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        return [f"database.path: {folder} is a file, not a folder, so the database cannot be created under it"]
    if not os.access(folder, os.W_OK | os.X_OK):
        return [
            f"database.path: the folder {folder} is read-only for this user; SQLite keeps its write-ahead log "
            "beside the database, so kinoclub must be able to create files there"
        ]
    return []


def settings_in_force(loaded: Loaded, environ: typing.Mapping[str, str] | None = None) -> list[tuple[str, str, str]]:
    """Every setting as (key, value, where it came from): "default", the file, or the environment."""
    environ = os.environ if environ is None else environ
    rows = []
    for section in dataclasses.fields(Config):
        values = getattr(loaded.config, section.name)
        for setting in dataclasses.fields(values):
            key = f"{section.name}.{setting.name}"
            value = getattr(values, setting.name)
            if isinstance(value, bool):
                shown = "true" if value else "false"  # as YAML spells it, so it can be copied into the file
            elif isinstance(value, tuple):
                shown = ", ".join(value)
            else:
                shown = "null" if value is None else str(value)
            if key == "database.path" and environ.get(DATABASE_ENV):
                where = f"environment: {DATABASE_ENV}"
            elif key in loaded.from_file:
                where = str(loaded.file)
            else:
                where = "default"
            rows.append((key, redact(shown), where))
    return [*rows, _tmdb_token_row(loaded.config, environ)]


def _tmdb_token_row(config: Config, environ: typing.Mapping[str, str]) -> tuple[str, str, str]:
    """Whether TMDB has a token and from where; the token itself is never read here, let alone shown."""
    source = tmdb_token_source(config, environ)
    if source == "environment":
        return ("providers.tmdb_token", "set (environment)", f"{TMDB_TOKEN_ENV}, not shown")
    if source == "file":
        return ("providers.tmdb_token", "set (file)", "providers.tmdb_token_file, not shown")
    why = "providers.tmdb: false" if not config.providers.tmdb else f"TMDB off until {TMDB_TOKEN_ENV} or a file is set"
    return ("providers.tmdb_token", "not set", why)
