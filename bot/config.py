"""Settings: YAML file + environment → frozen dataclasses.

This is the one place that reads environment variables. The token is never part of `Config`: it
is read on demand by `read_token` from `KINOCLUB_TOKEN` or the file `discord.token_file` names, so a
`repr(config)` in a log can never leak it.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import types
import typing
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.club.weekly.schedule import parse_weekly_time
from bot.config_providers import ProvidersConfig, parse_providers
from bot.config_providers import tmdb_token as tmdb_token  # read like read_token's, kept out of Config
from bot.secret_file import read_secret_file

log = logging.getLogger(__name__)

TOKEN_ENV = "KINOCLUB_TOKEN"
DATABASE_ENV = "KINOCLUB_DATABASE"
DEFAULT_CONFIG = Path("config.yaml")
# bot/bundled is a link to the top-level data/, so a wheel carries the data inside the package;
# a checkout without symbolic links (git on Windows by default) has only data/ beside bot/.
_HERE = Path(__file__).resolve().parent
BUNDLED_DATA = (_HERE / "bundled").resolve() if (_HERE / "bundled").is_dir() else _HERE.parent / "data"
# A token is about 72 characters; anything much longer is not one, and /dev/zero never ends.
TOKEN_FILE_LIMIT = 4096

# Discord's token shape: base64 user id, timestamp, HMAC.
TOKEN_SHAPE = re.compile(r"[\w-]{23,28}\.[\w-]{6,7}\.[\w-]{27,}")
# Any long run of mixed-case letters and digits may be a token, cut or pasted in part.
_OPAQUE = re.compile(r"[\w.-]{20,}")
NOT_PRINTED = "the value looks like a token and was not printed"


def looks_like_token(text: str) -> bool:
    if TOKEN_SHAPE.search(text):
        return True
    return any(
        re.search("[a-z]", word) and re.search("[A-Z]", word) and re.search("[0-9]", word)
        for word in _OPAQUE.findall(text)
    )


def redact(text: str) -> str:
    """`text` with every run that could be a token cut out, for messages that echo settings."""
    if not looks_like_token(text):
        return text
    text = TOKEN_SHAPE.sub("[…]", text)
    text = _OPAQUE.sub(lambda match: "[…]" if looks_like_token(match[0]) else match[0], text)
    return f"{text} ({NOT_PRINTED})"


class ConfigError(Exception):
    """The configuration cannot be used; each line names the key and what is wrong with it."""

    def __init__(self, problems: list[str]) -> None:
        # Whatever a check echoes back, a token pasted into the wrong key is never printed.
        problems = [redact(problem) for problem in problems]
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class DatabaseConfig:
    path: Path = Path("kinoclub.db")


@dataclass(frozen=True)
class DiscordConfig:
    token_file: Path | None = None
    dev_guild_id: int | None = None


@dataclass(frozen=True)
class ClubConfig:
    timezone: str = "UTC"
    moderator_roles: tuple[str, ...] = ("Moderator",)


@dataclass(frozen=True)
class CatalogueConfig:
    data_dir: Path = BUNDLED_DATA
    lists: tuple[str, ...] = ("all",)
    load_on_start: bool = True


@dataclass(frozen=True)
class WeeklyConfig:
    opens: str = "mon 18:00"
    closes: str = "fri 20:00"
    candidates: int = 4
    no_repeat_weeks: int = 52
    counts: str = "visible"  # or "hidden" until the ballot closes
    screening: str | None = None  # "DAY HH:MM" the club watches the pick together; a Discord event
    nominations: bool = True
    remind_close: int = 24  # hours before the ballot closes that the weekly channel is reminded; 0: never
    remind_screening: int = 1  # hours before the screening; 0: never
    hide_ratings: bool = True  # ratings of the film of the week stay hidden until the next ballot opens


@dataclass(frozen=True)
class LoggingConfig:
    level: str = "INFO"


@dataclass(frozen=True)
class Config:
    database: DatabaseConfig = field(default_factory=DatabaseConfig)
    discord: DiscordConfig = field(default_factory=DiscordConfig)
    club: ClubConfig = field(default_factory=ClubConfig)
    catalogue: CatalogueConfig = field(default_factory=CatalogueConfig)
    weekly: WeeklyConfig = field(default_factory=WeeklyConfig)
    logging: LoggingConfig = field(default_factory=LoggingConfig)
    providers: ProvidersConfig = field(default_factory=ProvidersConfig)


def _check_timezone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f'expected an IANA time zone such as "Europe/Moscow", got "{value}"') from None


def _check_weekly(value: str) -> None:
    parse_weekly_time(value)


def _check_counts(value: str) -> None:
    if value not in ("visible", "hidden"):
        raise ValueError(f'expected "visible" or "hidden", got "{value}"')


def _check_screening(value: str | None) -> None:
    if value is not None:
        parse_weekly_time(value)


def _check_level(value: str) -> None:
    if value.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise ValueError(f'expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got "{value}"')


def _between(low: int, high: int) -> typing.Callable[[int], None]:
    def check(value: int) -> None:
        if not low <= value <= high:
            raise ValueError(f"expected a number from {low} to {high}, got {value}")

    return check


def _check_snowflake(value: int | None) -> None:
    if value is not None and not 0 < value < 2**63:
        raise ValueError(f"expected a Discord server id (a positive number), got {value}")


def _check_roles(value: tuple[str, ...]) -> None:
    for role in value:
        if not role.strip() or len(role) > 100:
            raise ValueError(f'expected role names of 1 to 100 characters, got "{role}"')


_CHECKS: dict[str, typing.Callable[[Any], None]] = {
    "club.timezone": _check_timezone,
    "club.moderator_roles": _check_roles,
    "weekly.opens": _check_weekly,
    "weekly.closes": _check_weekly,
    "weekly.candidates": _between(2, 10),
    "weekly.no_repeat_weeks": _between(0, 520),
    "weekly.counts": _check_counts,
    "weekly.screening": _check_screening,
    "weekly.remind_close": _between(0, 144),
    "weekly.remind_screening": _between(0, 144),
    "logging.level": _check_level,
    "discord.dev_guild_id": _check_snowflake,
}

_TOKEN_GUIDANCE = (
    f"the token is never read from the config file; set {TOKEN_ENV} "
    "or put it in a file and name that file in discord.token_file"
)
_REFUSED = {"discord.token": _TOKEN_GUIDANCE, "token": _TOKEN_GUIDANCE}


def _type_name(kind: Any) -> str:
    names = {str: "text", int: "a whole number", bool: "true or false", Path: "a file path"}
    if typing.get_origin(kind) is tuple:
        return "a list of text"
    if isinstance(kind, types.UnionType):
        return " or ".join("null" if arg is type(None) else _type_name(arg) for arg in typing.get_args(kind))
    return names.get(kind, str(kind))


def _coerce(kind: Any, value: Any) -> Any:
    """Turn a YAML value into `kind`; TypeError when it is not of that shape."""
    if isinstance(kind, types.UnionType):
        if value is None and type(None) in typing.get_args(kind):
            return None
        (inner,) = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        return _coerce(inner, value)
    if kind is bool and isinstance(value, bool):
        return value
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is str and isinstance(value, str):
        return value
    if kind is Path and isinstance(value, str) and value.strip():
        return Path(value).expanduser()
    if typing.get_origin(kind) is tuple:
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
    raise TypeError


def _holds_token(value: Any) -> bool:
    """A valid-looking value that is Discord's token: it would be printed in messages and logs."""
    values = value if isinstance(value, tuple) else (value,)
    return any(isinstance(item, str | Path) and TOKEN_SHAPE.search(str(item)) for item in values)


def _build_section(cls: type, name: str, raw: Any, problems: list[str]) -> Any:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        problems.append(f"{name}: expected a mapping of settings, got {type(raw).__name__}")
        return cls()
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        path = f"{name}.{key}"
        if path in _REFUSED:
            problems.append(f"{path}: {_REFUSED[path]}")
            continue
        if key not in known:
            problems.append(f"{path}: unknown key (known keys: {', '.join(sorted(known))})")
            continue
        try:
            coerced = _coerce(hints[key], value)
        except TypeError:
            problems.append(f"{path}: expected {_type_name(hints[key])}, got {value!r}")
            continue
        if _holds_token(coerced):
            where = f"{TOKEN_ENV} or in the file discord.token_file names"
            problems.append(f"{path}: {NOT_PRINTED}; the token belongs in {where}")
            continue
        check = _CHECKS.get(path)
        if check is not None:
            try:
                check(coerced)
            except ValueError as exc:
                problems.append(f"{path}: {exc}")
                continue
        values[key] = coerced
    return cls(**values)


def parse_config(raw: Any, environ: typing.Mapping[str, str] | None = None) -> Config:
    """Build a `Config` from parsed YAML (a mapping or None) and the environment."""
    environ = os.environ if environ is None else environ
    problems: list[str] = []
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError([f"the config file must be a mapping of sections, got {type(raw).__name__}"])
    hints = typing.get_type_hints(Config)
    sections: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _REFUSED:
            problems.append(f"{key}: {_REFUSED[key]}")
            continue
        if key not in hints:
            known = ", ".join(hints)
            problems.append(f"{key}: unknown section (known sections: {known})")
            continue
        if key == "providers":  # its own parser (bot/config_providers.py), which keeps TMDB's token out
            sections[key] = parse_providers(value, problems)
        else:
            sections[key] = _build_section(hints[key], key, value, problems)
    if problems:
        raise ConfigError(problems)
    config = Config(**sections)
    if environ.get(DATABASE_ENV):
        database = DatabaseConfig(path=Path(environ[DATABASE_ENV]).expanduser())
        config = dataclasses.replace(config, database=database)
    return config


@dataclass(frozen=True)
class Loaded:
    """A `Config` and where its settings came from, for `kinoclub config check`."""

    config: Config
    file: Path | None  # None: no file was read, only the built-in defaults
    from_file: frozenset[str]  # "section.key" of every setting the file gave


def load_config(path: Path | None = None, environ: typing.Mapping[str, str] | None = None) -> Config:
    """Read the config file; with no path, `./config.yaml` if it exists, else the built-in defaults."""
    return load_settings(path, environ).config


def load_settings(path: Path | None = None, environ: typing.Mapping[str, str] | None = None) -> Loaded:
    if path is None:
        if not DEFAULT_CONFIG.exists():
            return Loaded(parse_config({}, environ), None, frozenset())
        path = DEFAULT_CONFIG
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError([f"{path}: not a text file; the config file is YAML text"]) from None
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read the config file ({exc.strerror})"]) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ConfigError([f"{where}: not valid YAML ({getattr(exc, 'problem', exc)})"]) from None
    config = parse_config(raw, environ)
    given = {
        f"{section}.{key}" for section, values in (raw or {}).items() if isinstance(values, dict) for key in values
    }
    return Loaded(config, path.resolve(), frozenset(given))


class TokenMissing(Exception):
    """No token is configured; the message says how to set one."""


def read_token(config: Config, environ: typing.Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    token = environ.get(TOKEN_ENV, "").strip()
    where = TOKEN_ENV
    if not token and config.discord.token_file is not None:
        token = _read_token_file(config.discord.token_file)
        where = f"discord.token_file ({redact(str(config.discord.token_file))})"
    if not token:
        raise TokenMissing(
            f"No Discord bot token. Create a bot at https://discord.com/developers/applications, copy its "
            f"token, then either `export {TOKEN_ENV}=...` or write it to a file and set discord.token_file "
            "in config.yaml. See README.md, 'Creating the Discord application'."
        )
    if "\n" in token or "\r" in token:
        raise TokenMissing(f"{where} holds more than one line; it must hold the token alone, on one line")
    if not re.fullmatch(r"[\x21-\x7e]+", token):
        raise TokenMissing(
            f"{where} does not hold a token: a token is one word of letters, digits, dots, dashes and underscores"
        )
    return token


def _read_token_file(path: Path) -> str:
    risk = ", and anyone who reads it controls the bot"
    return read_secret_file(path, "discord.token_file", TokenMissing, risk=risk, limit=TOKEN_FILE_LIMIT)


class RedactToken(logging.Filter):
    """Belt and braces: no log line may carry the token, whoever wrote it."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self._token and self._token in message:
            record.msg = message.replace(self._token, "[token]")
            record.args = None
        return True
