"""Moderators changing the catalogue: add, edit, merge, remove, each one audited transaction.

The catalogue is shared by every server the bot runs in. Bundled and imported films belong to no
server, so Discord cannot change them. A film a moderator added belongs to the server it was added
on, stored with the film (films.owner_guild_id) when it is created; only that server's moderators
may edit, merge or remove it. Keys are never given twice (bot/store/migrations/0007_film_owner.sql),
so a film named by its key is always the film meant. Checks that depend on the film's state,
ownership included, run again inside the transaction that writes; so do /film add's duplicate check
and key choice, so two servers adding one film at the same moment never share it.

Other servers may rate a film, list it or vote on it. Its owner's moderators may still edit it, but
never remove it, or merge it away, while that would delete another server's members' data: the
command is refused with a sentence saying why. (Hiding the film from this server alone was the other
choice; it would leave a catalogue that differs per server, which every search and list would then
have to respect, for a film the owner can still correct with /film edit.)
"""

from __future__ import annotations

from bot.catalogue import drafts
from bot.catalogue.drafts import FilmInput
from bot.catalogue.normalise import normalise
from bot.catalogue.query import Match
from bot.catalogue.search import Catalogue
from bot.errors import NotFound, UserError, quote
from bot.i18n import N_, _
from bot.store import Store, Transaction
from bot.store.models import Film, FilmDraft, FilmReferences, MergeReport

NOT_OURS = N_(
    "{title} is not this server's to change: the bundled catalogue and films added on other servers "
    "are shared by every server, so only films a moderator added here can be edited, merged or removed."
)


def describe(film: Film | FilmDraft) -> str:
    return f"{quote(film.title, 80)}{f' ({film.year})' if film.year else ''} [{film.key}]"


async def ensure_ours(store: Store, guild_id: int, film: Film, db: Store | Transaction | None = None) -> None:
    """Refuse unless `guild_id` owns `film` as `db` sees it (committed data, or the open transaction)."""
    if film.source != "moderator" or await store.films.owner(db or store, film.id, film.key) != guild_id:
        raise UserError(_(NOT_OURS).format(title=describe(film)))


SHARED = {
    "merging": N_(
        "{title} is also rated, listed or voted on by members of other servers; merging it here would delete "
        "their data, which only they can remove. It stays; /film edit can still correct it."
    ),
    "removing": N_(
        "{title} is also rated, listed or voted on by members of other servers; removing it here would delete "
        "their data, which only they can remove. It stays; /film edit can still correct it."
    ),
}


async def _refuse_duplicate(
    store: Store, draft: FilmDraft, film_id: int | None = None, db: Store | Transaction | None = None
) -> None:
    if draft.imdb_id is not None:
        same = await store.films.by_imdb(draft.imdb_id, db)
        if same is not None and same.id != film_id:
            raise UserError(
                _("{film} already has IMDb id {imdb_id}.").format(film=describe(same), imdb_id=f"tt{draft.imdb_id:07d}")
            )
    if draft.year is not None:
        norms = [norm for norm in {normalise(draft.title), normalise(draft.original_title or "")} if norm]
        for other in await store.films.with_names_in_year(norms, draft.year, db):
            if other != film_id:
                same = await store.films.get(other)
                raise UserError(
                    _("{film} is already in the catalogue under that title and year.").format(film=describe(same))
                )


async def _still(tx: Transaction, store: Store, film: Film, guild_id: int | None = None) -> Film:
    """The film as the transaction sees it: someone may have removed it since the command began.

    With `guild_id`, it must still be that server's too.
    """
    if not await store.films.exists_in(tx, film.id, film.key):
        raise UserError(_("{film} has just been removed.").format(film=describe(film)))
    if guild_id is not None:
        await ensure_ours(store, guild_id, film, tx)
    return film


async def add(store: Store, guild_id: int, user_id: int, given: FilmInput) -> Film:
    if given.title is None or given.year is None:
        raise UserError(_("A film needs at least a title and a year."))
    prefix = f"m-{drafts.slug(drafts.text(given.title, 'title', drafts.MAX_TITLE))}-"
    # Checked outside first, so a refusal costs no write lock; then again where it counts.
    await _refuse_duplicate(store, drafts.new_film(given, user_id, await store.films.keys_starting(prefix)))
    async with store.transaction() as tx:
        # The key is chosen and the duplicate check made under the write lock, which every
        # connection to the file (another bot process, an import) takes before writing.
        draft = drafts.new_film(given, user_id, await store.films.keys_starting(prefix, tx))
        await _refuse_duplicate(store, draft, db=tx)
        film_id, status = await store.films.upsert(tx, draft, normalise)
        if status != "added":
            # Cannot happen while the checks above hold the lock; refuse rather than hand this
            # server a film it did not make, should it ever.
            raise UserError(
                _("{film} arrived in the catalogue meanwhile; run /film add again.").format(film=describe(draft))
            )
        await store.films.claim(tx, film_id, guild_id)
        await store.audit.record(tx, guild_id, user_id, "film.add", draft.key, None, drafts.facts(draft))
    return await store.films.get(film_id)


async def edit(store: Store, guild_id: int, user_id: int, film: Film, given: FilmInput) -> Film:
    await ensure_ours(store, guild_id, film)
    draft = drafts.edited(film, given)
    if draft == film.draft():
        raise UserError(_("{film} already reads like that; nothing changed.").format(film=describe(film)))
    await _refuse_duplicate(store, draft, film.id)
    before, after = drafts.facts(film.draft()), drafts.facts(draft)
    changed = sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))
    async with store.transaction() as tx:
        await _still(tx, store, film, guild_id)
        await _refuse_duplicate(store, draft, film.id, tx)
        await store.films.upsert(tx, draft, normalise)
        await store.audit.record(
            tx, guild_id, user_id, "film.edit", film.key,
            {name: before.get(name) for name in changed}, {name: after.get(name) for name in changed},
        )
    return await store.films.get(film.id)


def _refuse_ballots(film: Film, refs: FilmReferences) -> None:
    if refs.ballots:
        raise UserError(
            _("{film} is a candidate on a weekly ballot; wait until that ballot is gone.").format(film=describe(film))
        )


async def merge(store: Store, guild_id: int, user_id: int, keep: Film, duplicate: Film) -> MergeReport:
    if keep.id == duplicate.id:
        raise UserError(_("Pick two different films: the one to keep and its duplicate."))
    await ensure_ours(store, guild_id, duplicate)
    async with store.transaction() as tx:
        await _still(tx, store, keep)
        await _still(tx, store, duplicate, guild_id)
        _refuse_ballots(duplicate, await store.films.references(tx, duplicate.id))
        if await store.films.merge_drops_elsewhere(tx, keep.id, duplicate.id, guild_id):
            raise UserError(_(SHARED["merging"]).format(title=describe(duplicate)))
        report = await store.films.merge(tx, keep.id, duplicate.id)
        await store.audit.record(
            tx, guild_id, user_id, "film.merge", duplicate.key,
            drafts.facts(duplicate.draft()), {"kept": keep.key, **report.__dict__},
        )
    return report


async def references(store: Store, guild_id: int, film: Film) -> FilmReferences:
    """What removing `film` would take with it; refuses films this server may not remove."""
    await ensure_ours(store, guild_id, film)
    refs = await store.films.references(store, film.id)
    _refuse_ballots(film, refs)
    await _refuse_shared(store, store, film, guild_id)
    return refs


async def _refuse_shared(store: Store, db: Store | Transaction, film: Film, guild_id: int) -> None:
    if await store.films.held_elsewhere(db, film.id, guild_id):
        raise UserError(_(SHARED["removing"]).format(title=describe(film)))


async def remove(store: Store, guild_id: int, user_id: int, film: Film, expected: FilmReferences) -> FilmReferences:
    """Delete `film` and what refers to it, provided that is still `expected` (what the moderator saw)."""
    async with store.transaction() as tx:
        await _still(tx, store, film, guild_id)
        refs = await store.films.references(tx, film.id)
        _refuse_ballots(film, refs)
        await _refuse_shared(store, tx, film, guild_id)
        if refs != expected:
            raise UserError(
                _("{film} gained ratings or list entries meanwhile; run /film remove again.").format(
                    film=describe(film)
                )
            )
        await store.films.delete(tx, film.id)
        await store.audit.record(
            tx, guild_id, user_id, "film.remove", film.key, drafts.facts(film.draft()), refs.__dict__,
        )
    return refs


async def named(catalogue: Catalogue, text: str) -> Film:
    """The film a moderator's option names: its key (what autocomplete sends) or its exact title.

    Unlike /film show, a near miss is refused: a typo must not edit or delete a different film.
    """
    film = await catalogue.resolve(text)
    if film.key == text.strip():
        return film
    exact = [hit.film for hit in await catalogue.search(text, limit=2) if hit.match is Match.EXACT]
    if len(exact) != 1:
        raise NotFound(
            _("Pick the film from the suggestions: {text} does not name exactly one film.").format(text=quote(text))
        )
    return exact[0]
