"""The audit trail as pages of sentences: who did what to which film, list or setting, in words.

The trail stores keys and ids (they stay true when a title changes); `wanted` says which to look up
and `Names` carries what they are called now, so a page never shows raw JSON or an internal id."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import discord

from bot.i18n import LANGUAGES, N_, _, counted
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
    "settings": ("club.moderators", "club.scale", "club.language", "club.region"),
}
KIND_NAMES = {"films": N_("films"), "lists": N_("lists"), "weekly": N_("weekly"), "settings": N_("settings")}


def kind_name(kind: str) -> str:
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


@dataclass
class Wanted:
    film_ids: set[int] = field(default_factory=set)
    film_keys: set[str] = field(default_factory=set)
    list_keys: set[str] = field(default_factory=set)


def _quoted(text: str) -> str:
    # Quotation marks are the reader's: “…” in English, «…» in Russian.
    return _("“{text}”").format(text=escape(text))


@dataclass
class Names:
    """What the ids and keys in a page of the trail are called now."""

    films_by_id: dict[int, str] = field(default_factory=dict)
    films_by_key: dict[str, str] = field(default_factory=dict)
    lists: dict[str, str] = field(default_factory=dict)
    channels: dict[int, str] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)

    def film_id(self, film_id: Any) -> str:
        return escape(self.films_by_id.get(int(film_id), _("a removed film")))

    def film_key(self, key: Any, facts: Any = None) -> str:
        if key in self.films_by_key:
            return _quoted(self.films_by_key[key])
        if isinstance(facts, dict) and facts.get("title"):
            return _quoted(_facts_title(facts))
        return _("a removed film")

    def list_name(self, key: str, *snapshots: Any) -> str:
        name = self.lists.get(key)
        for snapshot in snapshots:
            if name is None and isinstance(snapshot, dict) and snapshot.get("name"):
                name = snapshot["name"]
        return _quoted(name or key)

    def channel(self, channel_id: Any) -> str:
        if channel_id is None:
            return _("none")
        name = self.channels.get(int(channel_id))
        return f"#{escape(name)}" if name else _("a deleted channel")

    def role(self, role_id: Any) -> str:
        if role_id is None:
            return _("none")
        name = self.roles.get(int(role_id))
        return f"@{escape(name)}" if name else _("a deleted role")


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


def _facts_title(facts: dict) -> str:
    return f"{facts['title']} ({facts['year']})" if facts.get("year") else str(facts["title"])


def _value(value: Any) -> str:
    if value is None or value == [] or value == "":
        return _("nothing")
    if isinstance(value, bool):
        return _("on") if value else _("off")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


# Film fields as /film edit names them, in the trail's sentences.
_FILM_FIELDS = {
    "title": N_("title"),
    "year": N_("year"),
    "directors": N_("directors"),
    "genres": N_("genres"),
    "runtime": N_("runtime"),
    "synopsis": N_("synopsis"),
    "imdb_id": N_("IMDb id"),
    "cast": N_("cast"),
    "original_title": N_("original title"),
    "countries": N_("countries"),
}


def _field(name: str, labels: dict[str, str]) -> str:
    return _(labels[name]) if name in labels else name.replace("_", " ")


def _film_edit(entry: AuditEntry, names: Names) -> str:
    before, after = entry.before or {}, entry.after or {}
    changes = []
    for name in sorted(set(before) | set(after)):
        label = _field(name, _FILM_FIELDS)
        old, new = _value(before.get(name)), _value(after.get(name))
        if name == "synopsis" or len(old) + len(new) > 80:
            changes.append(_("rewrote the {field}").format(field=label))
        else:
            changes.append(_("{field} {old} → {new}").format(field=label, old=escape(old), new=escape(new)))
    return _("edited {film}: {changes}").format(film=names.film_key(entry.target), changes="; ".join(changes))


def _film_remove(entry: AuditEntry, names: Names) -> str:
    refs = entry.after if isinstance(entry.after, dict) else {}
    parts = [
        counted(refs.get("ratings", 0), "{n} rating", "{n} ratings"),
        counted(refs.get("list_entries", 0), "{n} list entry", "{n} list entries"),
        counted(refs.get("picks", 0), "{n} pick", "{n} picks"),
    ]
    return _("removed the film {film} with its {counts}").format(
        film=names.film_key(entry.target, entry.before), counts=", ".join(parts)
    )


def _list_add(entry: AuditEntry, names: Names) -> str:
    added = entry.after or {}
    film, where, at = names.film_key(added.get("film")), names.list_name(entry.target), added.get("position")
    if added.get("note"):
        return _("added {film} to the list {list} at #{position} with the note {note}").format(
            film=film, list=where, position=at, note=_quoted(added["note"])
        )
    return _("added {film} to the list {list} at #{position}").format(film=film, list=where, position=at)


def _size(snapshot: Any) -> str:
    if isinstance(snapshot, dict) and "size" in snapshot:
        return " (" + counted(snapshot["size"], "{n} film", "{n} films") + ")"
    return ""


_WEEKLY = {
    "channel_id": N_("channel"),
    "timezone": N_("time zone"),
    "opens": N_("ballot opens"),
    "closes": N_("ballot closes"),
    "candidates": N_("candidates"),
    "no_repeat_weeks": N_("weeks before a film may return"),
    "counts_visible": N_("vote counts shown"),
    "screening": N_("screening"),
    "nominations": N_("nominations"),
    "remind_close": N_("reminder before the close"),
    "remind_screening": N_("reminder before the screening"),
    "reminder_role_id": N_("reminder role"),
    "hide_ratings": N_("ratings hidden until the reveal"),
}


def _weekly(entry: AuditEntry, names: Names) -> str:
    before, after = entry.before or {}, entry.after or {}
    changes = []
    for key in sorted(set(before) | set(after)):
        show: Callable[[Any], str] = {"channel_id": names.channel, "reminder_role_id": names.role}.get(
            key, lambda value: escape(_value(value))
        )
        if key == "channel_id" and after.get(key) is None:
            changes.append(_("turned the weekly cycle off"))
        elif key == "channel_id" and before.get(key) is None:
            changes.append(_("set the weekly channel to {channel}").format(channel=show(after.get(key))))
        else:
            changes.append(
                _("{setting} {old} → {new}").format(
                    setting=_field(key, _WEEKLY), old=show(before.get(key)), new=show(after.get(key))
                )
            )
    return _("changed the weekly settings: {changes}").format(changes="; ".join(changes) or _("nothing"))


def _roles(names: Names, role_ids: Any) -> str:
    if role_ids is None:
        return _("the configured roles")
    return ", ".join(names.role(role_id) for role_id in role_ids) or _("none")


def _when(iso: Any) -> str:
    try:
        return f"<t:{int(datetime.fromisoformat(iso).timestamp())}:f>"
    except (TypeError, ValueError):
        return _("an unknown time")


def _scale(value: Any) -> str:
    return {"ten": "1–10", "stars": _("half stars")}.get(value, str(value))


def _region(code: object) -> str:
    from bot.club.region import name

    return name(code) if isinstance(code, str) and code else _("none")


def _language(value: Any) -> str:
    return LANGUAGES.get(value, value) if isinstance(value, str) and value else _value(value)


def _week(entry: AuditEntry, names: Names) -> str:
    before, after, week = entry.before, entry.after, escape(entry.target)
    match entry.action:
        case "week.open":
            films = ", ".join(names.film_id(i) for i in after or [])
            return _("opened the ballot for week {week}: {films}").format(week=week, films=films)
        case "week.close":
            tally = ", ".join(
                f"{names.film_id(i)} " + counted(n, "{n} vote", "{n} votes") for i, n in (after or {}).items()
            )
            return _("closed the ballot for week {week} early: {tally}").format(week=week, tally=tally or _("no votes"))
        case "week.pick":
            return _("picked {film} as the film of week {week}").format(film=names.film_key(after), week=week)
        case "week.skip":
            return _("skipped week {week}").format(week=week)
        case "week.cancel":
            return _("cancelled the ballot for week {week}").format(week=week)
        case "week.extend":
            return _("moved the close of the ballot for week {week} from {old} to {new}").format(
                week=week, old=_when(before), new=_when(after)
            )
        case "week.problem" | "week.reminder_skipped":
            return _("reported a problem with {what}: {problem}").format(what=week, problem=escape(_value(after)))
    return _did(entry)


def _did(entry: AuditEntry) -> str:
    return _("did {action} on {target}").format(action=escape(entry.action), target=escape(entry.target))


def _list(entry: AuditEntry, names: Names) -> str:
    before, after, target = entry.before, entry.after, entry.target
    lists, films = names.list_name, names.film_key
    match entry.action:
        case "list.create":
            return _("created the list {list}").format(list=lists(target, after))
        case "list.add":
            return _list_add(entry, names)
        case "list.move":
            return _("moved {film} from #{old} to #{new} in the list {list}").format(
                film=films((after or {}).get("film")), old=(before or {}).get("position"),
                new=(after or {}).get("position"), list=lists(target),
            )
        case "list.remove":
            film = films((before or {}).get("film"))
            return _("took {film} off the list {list}").format(film=film, list=lists(target))
        case "list.rename":
            old, new = (before or {}).get("name", ""), (after or {}).get("name", "")
            return _("renamed the list {old} to {new}").format(old=_quoted(old), new=_quoted(new))
        case "list.delete":
            return _("deleted the list {list}").format(list=lists(target, before)) + _size(before)
        case "list.copy":
            return _("copied the list {source} as {list}").format(
                source=lists((before or {}).get("from", "")), list=lists(target, after)
            )
        case "list.import":
            if before is None:
                return _("imported the list {list}").format(list=lists(target, after, before)) + _size(after)
            return _("replaced by import the list {list}").format(list=lists(target, after, before)) + _size(after)
    return _did(entry)


def sentence(entry: AuditEntry, names: Names) -> str:
    """What the entry's author did, in words: "renamed the list “A” to “B”"."""
    before, after, target, action = entry.before, entry.after, entry.target, entry.action
    films = names.film_key
    if action.startswith("list."):
        return _list(entry, names)
    if action.startswith("week."):
        return _week(entry, names)
    match action:
        case "film.add":
            return _("added the film {film}").format(film=films(target, after))
        case "film.edit":
            return _film_edit(entry, names)
        case "film.merge":
            kept = after.get("kept") if isinstance(after, dict) else None
            return _("merged {copy} into {kept}").format(copy=films(None, before), kept=films(kept))
        case "film.remove":
            return _film_remove(entry, names)
        case "club.moderators":
            return _("changed the moderator roles: {old} → {new}").format(
                old=_roles(names, before), new=_roles(names, after)
            )
        case "club.scale":
            return _("switched the rating scale from {old} to {new}").format(old=_scale(before), new=_scale(after))
        case "club.language":
            return _("switched the server language from {old} to {new}").format(
                old=_language(before), new=_language(after)
            )
        case "club.region":
            return _("set the server's region from {old} to {new}").format(old=_region(before), new=_region(after))
        case "club.weekly":
            return _weekly(entry, names)
        case "club.rotation":
            if after == 0:
                return _("took the list {list} out of the rotation").format(list=_quoted(target))
            return _("set the list {list} to weight {weight} in the rotation (was {before})").format(
                list=_quoted(target), weight=after, before=before
            )
    return _did(entry)


def _who(user_id: int) -> str:
    # The bot itself writes entries too (a weekly post it could not make), as user 0.
    return "kinoclub" if user_id == 0 else f"<@{user_id}>"


def audit_line(entry: AuditEntry, names: Names) -> str:
    when = int(datetime.fromisoformat(entry.created_at).timestamp())
    line = _("{when} · {who} {did}").format(when=f"<t:{when}:R>", who=_who(entry.user_id), did=sentence(entry, names))
    return limits.clip(line, LINE)


def audit_pages(entries: list[AuditEntry], names: Names, filters: str = "") -> list[discord.Embed]:
    title = limits.clip(_("Moderator log") + filters, limits.EMBED_TITLE)
    if not entries:
        empty = (
            _("Nothing matches: no entry of that kind or by that moderator.")
            if filters
            else _("No moderator has changed anything yet.")
        )
        return [discord.Embed(title=title, description=empty)]
    return [
        limits.fit(discord.Embed(title=title, description="\n".join(audit_line(entry, names) for entry in group)))
        for group in chunk(entries, PER_PAGE)
    ]
