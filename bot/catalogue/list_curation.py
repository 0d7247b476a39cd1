"""A server's curated lists: the rules every change obeys, each change one audited transaction.

Bundled lists (guild 0) are read-only from Discord; a server edits its own copy. A server list may
not take a bundled list's key, so a key a member picks always names one list. Every check that
depends on the list's state runs inside the transaction that makes the change.

Members name a list by its key (what a suggestion sends) or by its name as /list all shows it, in
any case and spacing; names need not be unique, so one two lists share means the server's own, or
the answer asks for the key.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.catalogue import list_files
from bot.catalogue.list_files import MAX_ENTRIES, ListFile
from bot.catalogue.normalise import normalise
from bot.catalogue.query import MAX_QUERY, classify
from bot.catalogue.search import LIMIT, Catalogue
from bot.catalogue.titles import local_title
from bot.errors import NotFound, UserError, quote
from bot.i18n import N_, _
from bot.store import Store, Transaction
from bot.store.models import CuratedList, Film
from bot.text import check_stored

COPY_HINT = N_("Bundled lists cannot be changed from Discord; use /list copy to make this server's own copy.")


@dataclass(frozen=True)
class Imported:
    curated: CuratedList
    created: bool


def _missing(key: str) -> NotFound:
    return NotFound(_("This server has no list {list}. /list all shows the lists there are.").format(list=quote(key)))


def _pick(found: list[CuratedList]) -> CuratedList | None:
    """The list meant among those a name fits: the only one, else the server's own if it has one
    by that name (a bundled namesake stays reachable by its key); None if still ambiguous."""
    if len(found) == 1:
        return found[0]
    own = [curated for curated in found if not curated.bundled]
    return own[0] if len(own) == 1 else None


def _one(found: list[CuratedList], typed: str) -> CuratedList:
    picked = _pick(found)
    if picked is not None:
        return picked
    if not found:
        raise _missing(typed)
    same = [curated for curated in found if not curated.bundled] or found
    keys = ", ".join(curated.key for curated in same[:5])
    raise UserError(
        _("{count} lists are called {name}; give the key of the one you mean: {keys}.").format(
            count=len(same), name=quote(same[0].name), keys=keys
        )
    )


def _snapshot(curated: CuratedList) -> dict:
    return {"name": curated.name, "description": curated.description, "size": curated.size}


class Curation:
    def __init__(self, store: Store) -> None:
        self._store = store

    # ------------------------------------------------------------------ reads

    async def usable(self, guild_id: int, key: str) -> CuratedList:
        """A list the server can read: its own or a bundled one."""
        return _one(await self._store.lists.named(guild_id, key), key)

    async def matching(self, guild_id: int, typed: str, *, own_only: bool = False) -> list[CuratedList]:
        """Lists whose name or key contains what was typed, the server's own first, for autocomplete."""
        lists = await self._store.lists.visible_to(guild_id)
        lists.sort(key=lambda curated: (curated.bundled, curated.name.casefold()))
        if own_only:
            lists = [curated for curated in lists if not curated.bundled]
        wanted = normalise(typed[:MAX_QUERY])
        if wanted:
            lists = [c for c in lists if wanted in normalise(c.name) or wanted in normalise(c.key.replace("-", " "))]
        return lists

    async def films_on(
        self, guild_id: int, key: str, typed: str, catalogue: Catalogue, limit: int = LIMIT
    ) -> list[Film]:
        """The list's films answering what was typed, best match first, then in the list's order
        (the first `limit` in order before typing).

        The list's own names are searched, not the catalogue's best candidates: a word the listed
        films share may be shared by a hundred more popular films that are not on it.
        """
        curated = _pick(await self._store.lists.named(guild_id, key or ""))
        if curated is None:
            return []
        names = await self._store.lists.entry_names(curated.id)
        if not typed.strip():
            return await self._store.films.get_many(list(dict.fromkeys(film_id for film_id, _, _ in names))[:limit])
        wanted = normalise(typed[:MAX_QUERY])
        if not wanted:
            return []
        best: dict[int, tuple] = {}
        for film_id, position, name in names:
            match = classify(wanted, name)
            if match is not None and (film_id not in best or (match, position) < best[film_id]):
                best[film_id] = (match, position)
        chosen = sorted(best, key=best.__getitem__)[:limit]
        if not chosen:
            # Nothing on the list spells it so: let the catalogue forgive a typo, among the list's films.
            on_list = {film_id for film_id, _, _ in names}
            hits = await catalogue.search(typed, limit=len(on_list) * 4 + limit)
            chosen = [hit.film.id for hit in hits if hit.film.id in on_list][:limit]
        return await self._store.films.get_many(chosen)

    async def export(self, guild_id: int, key: str) -> tuple[str, bytes]:
        """(file name, YAML) for a list the server can read."""
        curated = await self.usable(guild_id, key)
        entries = await self._store.lists.entries(curated.id)
        return f"{curated.key}.yaml", list_files.dump_list(curated, entries)

    async def _editable(self, tx: Transaction, guild_id: int, key: str) -> CuratedList:
        found = _one(await self._store.lists.named_in(tx, guild_id, key), key)
        if found.bundled:
            raise UserError(_(COPY_HINT))
        return found

    async def _free_key(self, tx: Transaction, guild_id: int, key: str) -> None:
        taken = await self._store.lists.locate(tx, guild_id, key)
        if taken is not None:
            said = (
                _("The key {key} is already used by a bundled list {list}; choose another name.")
                if taken.bundled
                else _("The key {key} is already used by this server's list {list}; choose another name.")
            )
            raise UserError(said.format(key=key, list=quote(taken.name)))

    # ----------------------------------------------------------------- writes

    async def create(
        self, guild_id: int, user_id: int, name: str, description: str | None = None
    ) -> CuratedList:
        check_stored(name, _("list name"))
        check_stored(description, _("description"))
        name = list_files.list_name(name)
        description = list_files.list_description(description)
        key = list_files.slug(name)
        store = self._store
        async with store.transaction() as tx:
            await self._free_key(tx, guild_id, key)
            await store.lists.create(tx, guild_id, key, name, description, user_id)
            created = await store.lists.locate(tx, guild_id, key)
            await store.audit.record(tx, guild_id, user_id, "list.create", key, None, _snapshot(created))
        return created

    async def add(
        self, guild_id: int, user_id: int, key: str, film: Film, note: str | None, position: int | None
    ) -> tuple[CuratedList, int]:
        """Put `film` on the list at `position` (default: the end); returns the list and the position."""
        check_stored(note, _("note"))
        note = list_files.entry_note(note)
        store = self._store
        async with store.transaction() as tx:
            curated = await self._editable(tx, guild_id, key)
            order = [film_id for film_id, _ in await store.lists.order(tx, curated.id)]
            if film.id in order:
                raise UserError(
                    _("{film} is already number {position} on this list.").format(
                        film=quote(local_title(film)), position=order.index(film.id) + 1
                    )
                )
            if len(order) >= MAX_ENTRIES:
                raise UserError(_("A list can hold at most {limit} films.").format(limit=MAX_ENTRIES))
            if position is None:
                position = len(order) + 1
            if not 1 <= position <= len(order) + 1:
                raise UserError(_("Position must be from 1 to {last} for this list.").format(last=len(order) + 1))
            await store.lists.add_entry(tx, curated.id, film.id, position, note, user_id)
            await store.audit.record(
                tx, guild_id, user_id, "list.add", curated.key, None,
                {"film": film.key, "position": position, "note": note},
            )
        return curated, position

    async def move(self, guild_id: int, user_id: int, key: str, film: Film, position: int) -> tuple[CuratedList, int]:
        """Move `film` to `position`; returns the list and the position it had."""
        store = self._store
        async with store.transaction() as tx:
            curated = await self._editable(tx, guild_id, key)
            order = [film_id for film_id, _ in await store.lists.order(tx, curated.id)]
            if film.id not in order:
                raise UserError(
                    _("{film} is not on {list}.").format(film=quote(local_title(film)), list=quote(curated.name))
                )
            if not 1 <= position <= len(order):
                raise UserError(_("Position must be from 1 to {last} for this list.").format(last=len(order)))
            before = order.index(film.id) + 1
            order.remove(film.id)
            order.insert(position - 1, film.id)
            await store.lists.reorder(tx, curated.id, order)
            await store.audit.record(
                tx, guild_id, user_id, "list.move", curated.key,
                {"film": film.key, "position": before}, {"film": film.key, "position": position},
            )
        return curated, before

    async def remove(self, guild_id: int, user_id: int, key: str, film: Film) -> CuratedList:
        store = self._store
        async with store.transaction() as tx:
            curated = await self._editable(tx, guild_id, key)
            entries = await store.lists.order(tx, curated.id)
            order = [film_id for film_id, _ in entries]
            if film.id not in order:
                raise UserError(
                    _("{film} is not on {list}.").format(film=quote(local_title(film)), list=quote(curated.name))
                )
            index = order.index(film.id)
            await store.lists.remove_entry(tx, curated.id, film.id)
            await store.audit.record(
                tx, guild_id, user_id, "list.remove", curated.key,
                {"film": film.key, "position": index + 1, "note": entries[index][1]}, None,
            )
        return curated

    async def rename(self, guild_id: int, user_id: int, key: str, name: str) -> tuple[CuratedList, str]:
        """Give the list a new name; its key stays, so links and exports keep working."""
        check_stored(name, _("list name"))
        name = list_files.list_name(name)
        store = self._store
        async with store.transaction() as tx:
            curated = await self._editable(tx, guild_id, key)
            await store.lists.update(tx, curated.id, name, curated.description)
            await store.audit.record(
                tx, guild_id, user_id, "list.rename", curated.key, {"name": curated.name}, {"name": name}
            )
        return curated, name

    async def check_deletable(self, guild_id: int, key: str) -> CuratedList:
        """The list a delete would remove, before asking the moderator to confirm."""
        curated = await self.usable(guild_id, key)
        if curated.bundled:
            raise UserError(_(COPY_HINT))
        return curated

    async def delete(self, guild_id: int, user_id: int, curated: CuratedList) -> bool:
        """Delete the list and its entries; False if someone deleted it first."""
        store = self._store
        async with store.transaction() as tx:
            current = await store.lists.locate(tx, guild_id, curated.key)
            if current is None or current.id != curated.id:
                return False
            await store.lists.delete(tx, current.id)
            await store.audit.record(tx, guild_id, user_id, "list.delete", current.key, _snapshot(current), None)
        return True

    async def copy(self, guild_id: int, user_id: int, key: str, name: str | None = None) -> CuratedList:
        """A list of the server's own with the entries and notes of `key` (usually a bundled list)."""
        source = await self.usable(guild_id, key)
        if name is not None:
            check_stored(name, _("list name"))
            name = list_files.list_name(name)
            new_key = list_files.slug(name)
        else:
            suffix = _(" (copy)")
            name = list_files.clip(source.name, list_files.MAX_NAME - len(suffix)) + suffix
            new_key = f"{source.key[: list_files.MAX_KEY - len('-copy')].rstrip('-')}-copy"
        store = self._store
        async with store.transaction() as tx:
            await self._free_key(tx, guild_id, new_key)
            entries = await store.lists.order(tx, source.id)
            list_id = await store.lists.create(tx, guild_id, new_key, name, source.description, user_id)
            await store.lists.replace_entries(tx, list_id, entries, user_id)
            copied = await store.lists.locate(tx, guild_id, new_key)
            await store.audit.record(
                tx, guild_id, user_id, "list.copy", new_key, {"from": source.key}, _snapshot(copied)
            )
        return copied

    async def import_file(self, guild_id: int, user_id: int, data: bytes, filename: str) -> Imported:
        """Create the file's list, or replace the entries of the server's list with its key.

        Nothing is written unless the whole file is good, every film included.
        """
        # Parsing up to 256 KB of YAML is CPU work of a fifth of a second: off the event loop.
        parsed: ListFile = await asyncio.to_thread(list_files.read_list_file, data, filename)
        draft = parsed.draft
        check_stored(draft.name, _("list name in {file}").format(file=parsed.name))
        check_stored(draft.description, _("description in {file}").format(file=parsed.name))
        for key, note in draft.entries:
            check_stored(note, _("note of {film} in {file}").format(film=key, file=parsed.name))
        film_ids = await self._store.films.ids_by_key(key for key, _note in draft.entries)
        problem = list_files.unknown_films(parsed, set(film_ids))
        if problem:
            raise UserError(problem)
        entries = [(film_ids[key], note) for key, note in draft.entries]
        store = self._store
        async with store.transaction() as tx:
            current = await store.lists.locate(tx, guild_id, draft.key)
            if current is not None and current.bundled:
                raise UserError(
                    _(
                        "{file}: the key {key} belongs to a bundled list; change `key:` in the file "
                        "(for example to {key}-copy) and import it again."
                    ).format(file=parsed.name, key=draft.key)
                )
            if current is None:
                list_id = await store.lists.create(tx, guild_id, draft.key, draft.name, draft.description, user_id)
            else:
                list_id = current.id
                await store.lists.update(tx, list_id, draft.name, draft.description)
            await store.lists.replace_entries(tx, list_id, entries, user_id)
            imported = await store.lists.locate(tx, guild_id, draft.key)
            await store.audit.record(
                tx, guild_id, user_id, "list.import", draft.key,
                None if current is None else _snapshot(current), _snapshot(imported),
            )
        return Imported(imported, created=current is None)
