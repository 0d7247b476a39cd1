"""Why a vote did not move the ballot: the bot paces its ballot edits, and the playground's clock waits.

The weekly poster redraws a ballot at once, then at most every few seconds while votes keep coming
(Discord's rate limits). On SimCord's virtual clock those seconds pass only with `advance`, so a
visitor who votes twice in a row sees the second count stand still unless told why.
"""

from __future__ import annotations

from bot.club.weekly import settings as weekly_settings
from bot.playground.world import World

PACED = "(counts on the ballot update every few seconds; type `advance 10s` to move time)"


def edits_waiting(world: World) -> bool:
    """Whether the weekly poster holds a ballot edit for its next turn."""
    poster = getattr(getattr(getattr(world.bot, "weekly", None), "transitions", None), "poster", None)
    return bool(getattr(poster, "waiting", False))


async def counts_held_back(world: World, unchanged: bool) -> bool:
    """A press left its message `unchanged` while a redraw waits, and the club shows running counts."""
    if not unchanged or not edits_waiting(world):
        return False
    club = await weekly_settings.load(world.store, world.config, world.guild.id)
    return club.counts_visible  # hidden counts never move, so there is nothing to wait for
