"""When the club's ratings of the film of the week may be seen.

The verdict on the film of the week is revealed on the next ballot (its message shows how the club
rated it). Until then members rate it without seeing each other's scores, so no one is swayed; each
member still sees their own. A server can turn this off with the weekly setting `hide_ratings`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.club.weekly import settings as weekly_settings
from bot.i18n import N_

if TYPE_CHECKING:
    from bot.config import Config
    from bot.store import Store
    from bot.store.models import Rating

HIDDEN = N_("hidden until the next ballot opens")  # translated where it is shown


async def hidden_film(store: Store, config: Config, guild_id: int) -> int | None:
    """The film whose ratings others may not see yet, or None when every rating may be shown."""
    settings = await weekly_settings.load(store, config, guild_id)
    if not settings.hide_ratings:
        return None
    return await store.weekly.unrevealed_film(guild_id)


def shown_to(ratings: list[Rating], viewer_id: int, hidden: int | None) -> list[Rating]:
    """The ratings `viewer_id` may see: all of them, less other members' ratings of the hidden film."""
    if hidden is None:
        return ratings
    return [r for r in ratings if r.film_id != hidden or r.user_id == viewer_id]


def visible_matrix(
    matrix: list[tuple[int, int, int]], viewer_id: int, hidden: int | None
) -> list[tuple[int, int, int]]:
    """(user, film, score) rows `viewer_id` may learn from: /top, /match and /recommend would
    otherwise give away other members' scores of the hidden film through a rank or a comparison."""
    if hidden is None:
        return matrix
    return [row for row in matrix if row[1] != hidden or row[0] == viewer_id]
