"""Members whose Discord client speaks another language, in the simulated Discord.

Discord sends every interaction with the member's client `locale` and the server's `guild_locale`.
SimCord 3.2.1 always sends "en-US" for both and has no setting for it, so `speaks()` records a
member's locale and `install()` fills those two fields of the real INTERACTION_CREATE payload SimCord
builds, before discord.py parses it: the bot reads them through discord.py as it would from Discord.
"""

from __future__ import annotations

from typing import Any

from simcord import interactions

LOCALES: dict[int, str] = {}
_build = interactions.base_payload


def speaks(member: Any, locale: str) -> Any:
    """From now on `member` (a SimCord member or user handle) uses Discord in `locale` ("ru", "en-US")."""
    LOCALES[member.id] = locale
    return member


def with_locales(backend: Any, **fields: Any) -> tuple[Any, dict[str, Any]]:
    record, payload = _build(backend, **fields)
    payload["locale"] = LOCALES.get(fields["user_id"], "en-US")
    if fields.get("guild_id") is not None:
        payload["guild_locale"] = backend.get_guild(fields["guild_id"]).preferred_locale or "en-US"
    return record, payload


def install() -> None:
    """Idempotent: SimCord's actors look the builder up on the module at every interaction."""
    interactions.base_payload = with_locales
