"""Settings of the online film sources (the `providers:` section), and TMDB's read token.

Wikidata needs no key, so it is on by default. TMDB is used only when the admin gives it a read
token, which, like Discord's, is never part of `Config` or the config file: `tmdb_token` reads it
on demand from `KINOCLUB_TMDB_TOKEN` or the file `providers.tmdb_token_file` names, and nothing
it says (problems, `config check`, log lines) ever holds the token.

bot.config imports this module, so this one imports bot.config only inside its functions.
"""

from __future__ import annotations

import logging
import os
import re
import typing
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Config

log = logging.getLogger(__name__)

TMDB_TOKEN_ENV = "KINOCLUB_TMDB_TOKEN"
# TMDB's read access token is a JWT of about 250 characters; a file much larger holds something else.
TMDB_TOKEN_FILE_LIMIT = 4096
# Discord waits 3 s for a reply; a provider's budget must leave room for the reply itself.
TIMEOUT_RANGE = (0.1, 2.5)


class TmdbTokenError(Exception):
    """The TMDB token was asked for and cannot be used; the message names where, never the token."""


@dataclass(frozen=True)
class ProvidersConfig:
    wikidata: bool = True  # keyless, CC0: on unless turned off
    tmdb: bool = True  # used only with a read token (KINOCLUB_TMDB_TOKEN or tmdb_token_file)
    tmdb_token_file: Path | None = None
    timeout: float = 1.0  # seconds each provider call may take


_GUIDANCE = (
    f"the TMDB token is never read from the config file; set {TMDB_TOKEN_ENV} "
    "or put it in a file and name that file in providers.tmdb_token_file"
)
_REFUSED = ("tmdb_token", "token", "tmdb_api_key", "api_key")


def parse_providers(raw: Any, problems: list[str]) -> ProvidersConfig:
    """The `providers:` section; each problem found is appended, naming its key, never a value that
    could be a token."""
    from bot.config import looks_like_token

    if raw is None:
        return ProvidersConfig()
    if not isinstance(raw, dict):
        problems.append(f"providers: expected a mapping of settings, got {type(raw).__name__}")
        return ProvidersConfig()
    known = [f.name for f in fields(ProvidersConfig)]
    values: dict[str, Any] = {}
    for key, value in raw.items():
        path = f"providers.{key}"
        if key in _REFUSED:
            problems.append(f"{path}: {_GUIDANCE}")
        elif key not in known:
            problems.append(f"{path}: unknown key (known keys: {', '.join(sorted(known))})")
        elif key in ("wikidata", "tmdb"):
            if isinstance(value, bool):
                values[key] = value
            else:
                problems.append(f"{path}: expected true or false, got {value!r}")
        elif key == "timeout":
            low, high = TIMEOUT_RANGE
            if isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high:
                values[key] = float(value)
            else:
                problems.append(f"{path}: expected a number of seconds from {low} to {high}, got {value!r}")
        elif value is None:
            values[key] = None
        elif not isinstance(value, str) or not value.strip():
            problems.append(f"{path}: expected a file path or null, got {value!r}")
        elif looks_like_token(value) or value.startswith("eyJ"):
            problems.append(f"{path}: the value looks like the token itself and was not printed; {_GUIDANCE}")
        else:
            values[key] = Path(value).expanduser()
    return ProvidersConfig(**values)


def tmdb_token_source(config: Config, environ: typing.Mapping[str, str] | None = None) -> str | None:
    """Where the TMDB token would come from ("environment", "file"), or None: TMDB stays off."""
    environ = os.environ if environ is None else environ
    if not config.providers.tmdb:
        return None
    if environ.get(TMDB_TOKEN_ENV, "").strip():
        return "environment"
    return "file" if config.providers.tmdb_token_file is not None else None


def tmdb_token(config: Config, environ: typing.Mapping[str, str] | None = None) -> str | None:
    """TMDB's read token, or None when TMDB is off or no token is set. Raises TmdbTokenError when
    one is set but unusable. Every log handler in place is told to cut the token out of its lines."""
    environ = os.environ if environ is None else environ
    source = tmdb_token_source(config, environ)
    if source is None:
        return None
    if source == "environment":
        token, where = environ[TMDB_TOKEN_ENV].strip(), TMDB_TOKEN_ENV
    else:
        token, where = _read_file(config.providers.tmdb_token_file), "providers.tmdb_token_file"
        if not token:
            raise TmdbTokenError(f"{where}: the file is empty; it must hold the TMDB read token alone")
    if "\n" in token or "\r" in token:
        raise TmdbTokenError(f"{where} holds more than one line; it must hold the TMDB read token alone")
    if not re.fullmatch(r"[\x21-\x7e]+", token):
        raise TmdbTokenError(
            f"{where} does not hold a token: a TMDB read token is one word of letters, digits, dots, dashes "
            "and underscores"
        )
    _guard_logs(token)
    return token


def _read_file(path: Path) -> str:
    from bot.secret_file import read_secret_file

    return read_secret_file(
        path, "providers.tmdb_token_file", TmdbTokenError, what="the TMDB read token", limit=TMDB_TOKEN_FILE_LIMIT
    )


def _guard_logs(token: str) -> None:
    """Belt and braces, as for Discord's token: whoever logs a request, the token is cut out."""
    from bot.config import RedactToken

    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactToken) and f._token == token for f in handler.filters):
            handler.addFilter(RedactToken(token))

