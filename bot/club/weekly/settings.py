"""A server's film-of-the-week settings: the config's defaults, overridden per server by /club weekly."""

from __future__ import annotations

import dataclasses
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.club.weekly.calendar import iso, next_occurrence
from bot.club.weekly.schedule import WeeklyTime, parse_weekly_time
from bot.errors import UserError
from bot.i18n import _

if TYPE_CHECKING:
    from bot.config import Config
    from bot.store import Store
    from bot.store.models import CuratedList

SETTING = "weekly"  # guild setting: a JSON object of the keys a server changed

MIN_CANDIDATES, MAX_CANDIDATES = 2, 10
MAX_NO_REPEAT_WEEKS = 520
MAX_REMIND_HOURS = 144


@dataclass(frozen=True)
class WeeklySettings:
    channel_id: int | None  # None: the server has not turned the weekly cycle on
    timezone: str
    opens: WeeklyTime
    closes: WeeklyTime
    candidates: int
    no_repeat_weeks: int
    counts_visible: bool
    screening: WeeklyTime | None
    nominations: bool
    remind_close: int  # hours before the close, on the server's clock; 0: no reminder
    remind_screening: int  # hours before the screening; 0: no reminder
    reminder_role_id: int | None  # the role reminders ping; None: they ping no one
    hide_ratings: bool  # the film of the week's ratings wait for the next ballot to be revealed

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def stored(self) -> dict[str, Any]:
        """The JSON a server's settings are kept as."""
        return {
            "channel_id": self.channel_id,
            "timezone": self.timezone,
            "opens": str(self.opens),
            "closes": str(self.closes),
            "candidates": self.candidates,
            "no_repeat_weeks": self.no_repeat_weeks,
            "counts_visible": self.counts_visible,
            "screening": None if self.screening is None else str(self.screening),
            "nominations": self.nominations,
            "remind_close": self.remind_close,
            "remind_screening": self.remind_screening,
            "reminder_role_id": self.reminder_role_id,
            "hide_ratings": self.hide_ratings,
        }


def defaults(config: Config) -> WeeklySettings:
    weekly = config.weekly
    return WeeklySettings(
        channel_id=None,
        timezone=config.club.timezone,
        opens=parse_weekly_time(weekly.opens),
        closes=parse_weekly_time(weekly.closes),
        candidates=weekly.candidates,
        no_repeat_weeks=weekly.no_repeat_weeks,
        counts_visible=weekly.counts == "visible",
        screening=None if weekly.screening is None else parse_weekly_time(weekly.screening),
        nominations=weekly.nominations,
        remind_close=weekly.remind_close,
        remind_screening=weekly.remind_screening,
        reminder_role_id=None,
        hide_ratings=weekly.hide_ratings,
    )


def from_stored(base: WeeklySettings, stored: dict[str, Any]) -> WeeklySettings:
    """`base` with a server's stored changes; a value that no longer parses is left at the default."""
    settings = base
    for key, value in (stored or {}).items():
        try:
            settings = changed(settings, **{key: value})
        except (UserError, TypeError):
            continue
    return settings


async def load(store: Store, config: Config, guild_id: int) -> WeeklySettings:
    return from_stored(defaults(config), await store.settings.get(guild_id, SETTING, {}))


def changed(settings: WeeklySettings, **changes: Any) -> WeeklySettings:
    """`settings` with `changes` checked and applied; UserError names the first bad value."""
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key in ("opens", "closes"):
            values[key] = _weekly_time(key, value)
        elif key == "screening":
            values[key] = None if value in (None, "", "none", "off") else _weekly_time(key, value)
        elif key == "timezone":
            values[key] = _timezone(value)
        elif key == "candidates":
            values[key] = _number(key, value, MIN_CANDIDATES, MAX_CANDIDATES)
        elif key == "no_repeat_weeks":
            values[key] = _number(key, value, 0, MAX_NO_REPEAT_WEEKS)
        elif key in ("remind_close", "remind_screening"):
            values[key] = _number(key, value, 0, MAX_REMIND_HOURS)
        elif key in ("counts_visible", "nominations", "hide_ratings"):
            if not isinstance(value, bool):
                raise TypeError(key)
            values[key] = value
        elif key in ("channel_id", "reminder_role_id"):
            if value is not None and not isinstance(value, int):
                raise TypeError(key)
            values[key] = value
        else:
            raise TypeError(key)
    result = dataclasses.replace(settings, **values)
    if result.opens == result.closes:
        raise UserError(_("The ballot cannot open and close at the same moment; choose two different times."))
    return result


def _weekly_time(key: str, value: Any) -> WeeklyTime:
    if isinstance(value, WeeklyTime):
        return value
    if not isinstance(value, str):
        raise TypeError(key)
    try:
        return parse_weekly_time(value)
    except ValueError as exc:
        raise UserError(_('{key}: {problem}, for example "fri 20:00".').format(key=key, problem=exc)) from None


def _timezone(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("timezone")
    text = value.strip()
    try:
        if not text or len(text) > 64:
            raise ValueError
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise UserError(
            _("timezone: that is not a time zone I know; use an IANA name such as Europe/Moscow or America/New_York.")
        ) from None
    return text


def _number(key: str, value: Any, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(key)
    if not low <= value <= high:
        raise UserError(_("{key}: choose a number from {low} to {high}.").format(key=key, low=low, high=high))
    return value


async def update(
    store: Store, config: Config, guild_id: int, moderator: int, now: datetime, **changes: Any
) -> WeeklySettings:
    """Apply a moderator's changes and move the next opening to match; audited."""
    base = defaults(config)
    stored = dict(await store.settings.get(guild_id, SETTING, {}) or {})
    before = from_stored(base, stored)
    after = changed(before, **changes)
    stored.update({key: value for key, value in after.stored().items() if key in changes})
    async with store.transaction() as tx:
        await store.settings.put(tx, guild_id, SETTING, stored)
        if after.channel_id is None:
            await store.weekly.clear_deadline(tx, guild_id, "open")
        elif (
            before.channel_id is None
            or before.opens != after.opens
            or before.timezone != after.timezone
            or await store.weekly.deadline(guild_id, "open", tx) is None
        ):
            await store.weekly.set_deadline(tx, guild_id, "open", iso(next_occurrence(after.opens, after.zone, now)))
        await store.audit.record(
            tx,
            guild_id,
            moderator,
            "club.weekly",
            "weekly settings",
            _diff(before, after, "before"),
            _diff(before, after, "after"),
        )
    return after


def _diff(before: WeeklySettings, after: WeeklySettings, side: str) -> dict[str, Any]:
    old, new = before.stored(), after.stored()
    chosen = old if side == "before" else new
    return {key: chosen[key] for key in old if old[key] != new[key]}


async def rotation(store: Store, guild_id: int) -> list[tuple[CuratedList, int]]:
    """The lists candidates are drawn from, with their weights: the server's choice, or every list it
    can use at weight 1 until it chooses."""
    lists = await store.lists.visible_to(guild_id)
    weights = await store.weekly.rotation(guild_id) or {curated.id: 1 for curated in lists}
    return [(curated, weights[curated.id]) for curated in lists if curated.id in weights]


async def set_weight(
    store: Store, guild_id: int, moderator: int, list_id: int, list_name: str, weight: int
) -> dict[int, int]:
    """Put a list in rotation with `weight` (0 takes it out); returns the rotation now."""
    if not 0 <= weight <= 100:
        raise UserError(_("weight: choose a number from 0 (out of rotation) to 100."))
    async with store.transaction() as tx:
        before = await store.weekly.rotation(guild_id, tx)
        if not before:
            # Until a server chooses, every list is in rotation with weight 1; choosing starts from that.
            for visible in await store.lists.visible_to(guild_id):
                await store.weekly.set_weight(tx, guild_id, visible.id, 1)
        await store.weekly.set_weight(tx, guild_id, list_id, weight)
        after = await store.weekly.rotation(guild_id, tx)
        if not after:
            raise UserError(_("At least one list must stay in rotation, or there is nothing to draw from."))
        await store.audit.record(
            tx, guild_id, moderator, "club.rotation", list_name, before.get(list_id, 1 if not before else 0), weight
        )
    return after
