"""The audit trail as pages of sentences: who did what to which film, list or setting, in words.

The trail stores keys and ids (they stay true when a title changes); `wanted` says which to look up
and `Names` carries what they are called now, so a page never shows raw JSON or an internal id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import discord

from bot.store.models import AuditEntry
from bot.ui import limits
from bot.ui.markdown import escape
from bot.ui.pages import chunk

PER_PAGE = 10
LINE = 380  # ten lines and their timestamps fit one embed description

# `/club log kind:` → the actions it shows, as prefixes of the action name.
KINDS: dict[str, tuple[str, ...]] = {
    "films": ("film.",),
    "lists": ("list.",),
    "weekly": ("week.", "club.weekly", "club.rotation"),
    "settings": ("club.moderators", "club.scale"),
}


@dataclass
class Wanted:
    film_ids: set[int] = field(default_factory=set)
    film_keys: set[str] = field(default_factory=set)
    list_keys: set[str] = field(default_factory=set)


@dataclass
class Names:
    """What the ids and keys in a page of the trail are called now."""

    films_by_id: dict[int, str] = field(default_factory=dict)
    films_by_key: dict[str, str] = field(default_factory=dict)
    lists: dict[str, str] = field(default_factory=dict)
    channels: dict[int, str] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)

    def film_id(self, film_id: Any) -> str:
        return escape(self.films_by_id.get(int(film_id), "a removed film"))

    def film_key(self, key: Any, facts: Any = None) -> str:
        if key in self.films_by_key:
            return f"“{escape(self.films_by_key[key])}”"
        if isinstance(facts, dict) and facts.get("title"):
            return f"“{escape(_facts_title(facts))}”"
        return "a removed film"

    def list_name(self, key: str, *snapshots: Any) -> str:
        name = self.lists.get(key)
        for snapshot in snapshots:
            if name is None and isinstance(snapshot, dict) and snapshot.get("name"):
                name = snapshot["name"]
        return f"“{escape(name or key)}”"

    def channel(self, channel_id: Any) -> str:
        if channel_id is None:
            return "none"
        name = self.channels.get(int(channel_id))
        return f"#{escape(name)}" if name else "a deleted channel"

    def role(self, role_id: Any) -> str:
        if role_id is None:
            return "none"
        name = self.roles.get(int(role_id))
        return f"@{escape(name)}" if name else "a deleted role"


def wanted(entries: list[AuditEntry]) -> Wanted:
    """The films and lists the entries name, to be looked up before `audit_pages`."""
    want = Wanted()
    for entry in entries:
        kind = entry.action.split(".")[0]
        if kind == "film":
            want.film_keys.add(entry.target)
            if entry.action == "film.merge" and isinstance(entry.after, dict):
                want.film_keys.add(entry.after.get("kept"))
        elif kind == "list":
            want.list_keys.add(entry.target)
            for side in (entry.before, entry.after):
                if isinstance(side, dict) and side.get("film"):
                    want.film_keys.add(side["film"])
                if isinstance(side, dict) and side.get("from"):
                    want.list_keys.add(side["from"])
        elif entry.action == "club.rotation":
            continue  # the target is the list's name already
        elif entry.action == "week.pick" and isinstance(entry.after, str):
            want.film_keys.add(entry.after)
        elif entry.action in ("week.open", "week.close") and isinstance(entry.after, list | dict):
            # The ballot's candidates, or its tally by film id.
            want.film_ids.update(int(film_id) for film_id in entry.after)
    want.film_keys.discard(None)
    return want


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number:,} {one if number == 1 else (many or one + 's')}"


def _facts_title(facts: dict) -> str:
    return f"{facts['title']} ({facts['year']})" if facts.get("year") else str(facts["title"])


def _value(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "nothing"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _film_edit(entry: AuditEntry, names: Names) -> str:
    before, after = entry.before or {}, entry.after or {}
    changes = []
    for name in sorted(set(before) | set(after)):
        label = name.replace("_", " ")
        old, new = _value(before.get(name)), _value(after.get(name))
        if name == "synopsis" or len(old) + len(new) > 80:
            changes.append(f"rewrote the {label}")
        else:
            changes.append(f"{label} {escape(old)} → {escape(new)}")
    return f"edited {names.film_key(entry.target)}: " + "; ".join(changes)


def _film_remove(entry: AuditEntry, names: Names) -> str:
    refs = entry.after if isinstance(entry.after, dict) else {}
    parts = [
        _count(refs.get("ratings", 0), "rating"),
        _count(refs.get("list_entries", 0), "list entry", "list entries"),
        _count(refs.get("picks", 0), "pick"),
    ]
    return f"removed the film {names.film_key(entry.target, entry.before)} with its " + ", ".join(parts)


def _list_add(entry: AuditEntry, names: Names) -> str:
    added = entry.after or {}
    film, where = names.film_key(added.get("film")), names.list_name(entry.target)
    text = f"added {film} to the list {where} at #{added.get('position')}"
    return text + (f" with the note “{escape(added['note'])}”" if added.get("note") else "")


def _size(snapshot: Any) -> str:
    return f" ({_count(snapshot['size'], 'film')})" if isinstance(snapshot, dict) and "size" in snapshot else ""


_WEEKLY = {
    "channel_id": "channel",
    "timezone": "time zone",
    "opens": "ballot opens",
    "closes": "ballot closes",
    "candidates": "candidates",
    "no_repeat_weeks": "weeks before a film may return",
    "counts_visible": "vote counts shown",
    "screening": "screening",
    "nominations": "nominations",
    "remind_close": "reminder before the close",
    "remind_screening": "reminder before the screening",
    "reminder_role_id": "reminder role",
    "hide_ratings": "ratings hidden until the reveal",
}


def _weekly(entry: AuditEntry, names: Names) -> str:
    before, after = entry.before or {}, entry.after or {}
    changes = []
    for key in sorted(set(before) | set(after)):
        show: Callable[[Any], str] = {"channel_id": names.channel, "reminder_role_id": names.role}.get(
            key, lambda value: escape(_value(value))
        )
        if key == "channel_id" and after.get(key) is None:
            changes.append("turned the weekly cycle off")
        elif key == "channel_id" and before.get(key) is None:
            changes.append(f"set the weekly channel to {show(after.get(key))}")
        else:
            label = _WEEKLY.get(key, key.replace("_", " "))
            changes.append(f"{label} {show(before.get(key))} → {show(after.get(key))}")
    return "changed the weekly settings: " + ("; ".join(changes) or "nothing")


def _roles(names: Names, role_ids: Any) -> str:
    if role_ids is None:
        return "the configured roles"
    return ", ".join(names.role(role_id) for role_id in role_ids) or "none"


def _when(iso: Any) -> str:
    try:
        return f"<t:{int(datetime.fromisoformat(iso).timestamp())}:f>"
    except (TypeError, ValueError):
        return "an unknown time"


def _scale(value: Any) -> str:
    return {"ten": "1–10", "stars": "half stars"}.get(value, str(value))


def sentence(entry: AuditEntry, names: Names) -> str:
    """What the entry's author did, in words: "renamed the list “A” to “B”"."""
    before, after, target, action = entry.before, entry.after, entry.target, entry.action
    lists = names.list_name
    films = names.film_key
    week = f"week {escape(target)}"
    match action:
        case "film.add":
            return f"added the film {films(target, after)}"
        case "film.edit":
            return _film_edit(entry, names)
        case "film.merge":
            kept = after.get("kept") if isinstance(after, dict) else None
            return f"merged {films(None, before)} into {films(kept)}"
        case "film.remove":
            return _film_remove(entry, names)
        case "list.create":
            return f"created the list {lists(target, after)}"
        case "list.add":
            return _list_add(entry, names)
        case "list.move":
            film = films((after or {}).get("film"))
            where = f"from #{(before or {}).get('position')} to #{(after or {}).get('position')}"
            return f"moved {film} {where} in the list {lists(target)}"
        case "list.remove":
            return f"took {films((before or {}).get('film'))} off the list {lists(target)}"
        case "list.rename":
            old, new = (before or {}).get("name", ""), (after or {}).get("name", "")
            return f"renamed the list “{escape(old)}” to “{escape(new)}”"
        case "list.delete":
            return f"deleted the list {lists(target, before)}{_size(before)}"
        case "list.copy":
            return f"copied the list {lists((before or {}).get('from', ''))} as {lists(target, after)}"
        case "list.import":
            verb = "imported the list" if before is None else "replaced by import the list"
            return f"{verb} {lists(target, after, before)}{_size(after)}"
        case "club.moderators":
            return f"changed the moderator roles: {_roles(names, before)} → {_roles(names, after)}"
        case "club.scale":
            return f"switched the rating scale from {_scale(before)} to {_scale(after)}"
        case "club.weekly":
            return _weekly(entry, names)
        case "club.rotation":
            if after == 0:
                return f"took the list “{escape(target)}” out of the rotation"
            return f"set the list “{escape(target)}” to weight {after} in the rotation (was {before})"
        case "week.open":
            return f"opened the ballot for {week}: " + ", ".join(names.film_id(i) for i in after or [])
        case "week.close":
            tally = ", ".join(f"{names.film_id(i)} {_count(n, 'vote')}" for i, n in (after or {}).items())
            return f"closed the ballot for {week} early: {tally or 'no votes'}"
        case "week.pick":
            return f"picked {films(after)} as the film of {week}"
        case "week.skip":
            return f"skipped {week}"
        case "week.cancel":
            return f"cancelled the ballot for {week}"
        case "week.extend":
            return f"moved the close of the ballot for {week} from {_when(before)} to {_when(after)}"
        case "week.problem" | "week.reminder_skipped":
            return f"reported a problem with {escape(target)}: {escape(_value(after))}"
    return f"did {escape(action)} on {escape(target)}"


def _who(user_id: int) -> str:
    # The bot itself writes entries too (a weekly post it could not make), as user 0.
    return "kinoclub" if user_id == 0 else f"<@{user_id}>"


def audit_line(entry: AuditEntry, names: Names) -> str:
    when = int(datetime.fromisoformat(entry.created_at).timestamp())
    return limits.clip(f"<t:{when}:R> · {_who(entry.user_id)} {sentence(entry, names)}", LINE)


def audit_pages(entries: list[AuditEntry], names: Names, filters: str = "") -> list[discord.Embed]:
    title = limits.clip(f"Moderator log{filters}", limits.EMBED_TITLE)
    if not entries:
        empty = "Nothing matches: no entry of that kind or by that moderator." if filters else (
            "No moderator has changed anything yet."
        )
        return [discord.Embed(title=title, description=empty)]
    return [
        limits.fit(discord.Embed(title=title, description="\n".join(audit_line(entry, names) for entry in group)))
        for group in chunk(entries, PER_PAGE)
    ]
