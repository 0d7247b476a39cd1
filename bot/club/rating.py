"""The rules of rating a film: what a review may hold, the server's scale, and writing it safely."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from bot.club import scales
from bot.club.scales import Scale
from bot.errors import UserError
from bot.i18n import _, number
from bot.store import DatabaseError
from bot.text import UNSENDABLE, check_stored, sendable

if TYPE_CHECKING:
    from bot.store import Store
    from bot.store.models import Rating

log = logging.getLogger("kinoclub.rating")

REVIEW_MAX = 1000
# Seconds a member's rating waits for another process's write lock before "not saved": an IMDb
# import's merge holds it in one transaction (about 1.5 min at a million films). The member has
# been answered already ("thinking…", then told it waits), and Discord keeps the reply open 15 min.
PATIENCE = 300.0


class NotSaved(UserError):
    """The database refused the write; the member must know their rating is not there."""


def check_review(text: str | None) -> str | None:
    """The review as stored, or UserError saying what is wrong with it. None means no review."""
    if text is None:
        return None
    if not sendable(text):  # before anything echoes or stores it: it cannot be encoded
        raise UserError(_(UNSENDABLE))
    if not text.strip():
        raise UserError(_("The review is empty: write something, or leave the review option out."))
    if len(text) > REVIEW_MAX:
        raise UserError(
            _("A review can be at most {most} characters; yours has {length}.").format(
                most=number(REVIEW_MAX), length=number(len(text))
            )
        )
    check_stored(text, _("review"))
    return text.strip()


# Digits only (ASCII), with a point or a comma: Python's float() would also take "1_0", "nan" or "inf".
_NUMBER = re.compile(r"[0-9]{1,2}(?:[.,][0-9]{1,3})?", re.ASCII)


def score_from_text(text: str, scale: Scale) -> int:
    """The stored 1–10 score for what a member typed into a form on the server's scale; UserError if none."""
    example = number(3.5, 1) if scale is Scale.STARS else "7"
    cleaned = text.strip()
    if not cleaned:
        raise UserError(_("Give a score, e.g. {example}.").format(example=example))
    if _NUMBER.fullmatch(cleaned) is None:
        raise UserError(_("The score must be a number, e.g. {example}.").format(example=example))
    return scales.to_score(float(cleaned.replace(",", ".")), scale)


def scale_of(value: object) -> Scale:
    """The server's scale from its stored setting; anything unknown falls back to 1–10."""
    try:
        return Scale(value)
    except ValueError:
        return Scale.TEN


async def server_scale(store: Store, guild_id: int) -> Scale:
    return scale_of(await store.settings.get(guild_id, scales.SETTING, Scale.TEN.value))


async def rate(
    store: Store,
    guild_id: int,
    user_id: int,
    film_id: int,
    score: int,
    review: str | None,
    spoiler: bool,
    on_wait: Callable[[], Awaitable[None]] | None = None,
) -> Rating | None:
    """Commit the rating (before anyone is told it is saved); returns the one it replaced.

    While another process holds the write lock (an IMDb import merging), the rating waits for it
    up to `PATIENCE`, and `on_wait` is told once that it waits."""
    try:
        async with store.transaction(PATIENCE, on_wait) as tx:
            return await store.ratings.put(tx, guild_id, user_id, film_id, score, review=review, spoiler=spoiler)
    except DatabaseError as exc:
        log.exception("rating by %s of film %s in guild %s not saved", user_id, film_id, guild_id)
        raise NotSaved(_("Your rating was not saved: the database refused the write. Try again.")) from exc


async def unrate(store: Store, guild_id: int, user_id: int, film_id: int) -> Rating | None:
    """Remove the rating; returns it (None if there was none)."""
    try:
        async with store.transaction(PATIENCE) as tx:
            return await store.ratings.remove(tx, guild_id, user_id, film_id)
    except DatabaseError as exc:
        log.exception("unrating by %s of film %s in guild %s failed", user_id, film_id, guild_id)
        raise NotSaved(_("Your rating was not removed: the database refused the write. Try again.")) from exc


async def forget_member(store: Store, guild_id: int, user_id: int) -> dict[str, int]:
    """/forget me: delete the member's data in this server in one transaction; counts per kind."""
    try:
        async with store.transaction() as tx:
            return await store.ratings.forget_member(tx, guild_id, user_id)
    except DatabaseError as exc:
        log.exception("forgetting member %s in guild %s failed", user_id, guild_id)
        raise NotSaved(_("Nothing was deleted: the database refused the write. Try again.")) from exc


def average(ratings: list[Rating]) -> float | None:
    return sum(r.score for r in ratings) / len(ratings) if ratings else None


def distribution(ratings: list[Rating]) -> tuple[int, ...]:
    """How many of `ratings` have each score 1–10 (index 0 is score 1), like the store's, for a filtered list."""
    counts = [0] * 10
    for r in ratings:
        if 1 <= r.score <= 10:
            counts[r.score - 1] += 1
    return tuple(counts)


def change_text(score: int, before: Rating | None, scale: Scale) -> str:
    """"★★★½ (was 7/10)": the new score, and the old one when it was there."""
    text = scales.show(score, scale)
    if before is not None and before.score != score:
        text += _(" (was {score})").format(score=scales.show(before.score, scale))
    elif before is not None:
        text += _(" (unchanged)")
    return text
