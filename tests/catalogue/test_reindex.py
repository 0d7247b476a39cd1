"""A database whose search keys an older normaliser made is re-normalised once, at start-up."""

from __future__ import annotations

import dataclasses
import re

from anyascii import anyascii

from bot.app import create_bot
from bot.catalogue.normalise import VERSION, normalise
from bot.catalogue.reindex import SETTING, renormalise
from bot.catalogue.search import Catalogue


def _version_1(text: str) -> str:
    """The normaliser of version 1 (before the romanisations of Russian were folded together)."""
    text = anyascii(text).lower().replace("'", "")
    text = re.sub(r"i{2,}", "i", re.sub(r"[^a-z0-9]+", " ", text).strip().replace("kh", "h").replace("y", "i"))
    first, _, rest = text.partition(" ")
    return rest if rest and first in {"the", "a", "an"} else text


async def _make_it_old(store) -> None:
    """Rewrite every stored key as version 1 made it, through the same triggers and tables as then."""
    async with store.transaction() as tx:
        for row_id, title in await tx.fetchall("SELECT id, title FROM film_titles"):
            await tx.execute("UPDATE film_titles SET norm = ? WHERE id = ?", (_version_1(title), row_id))
        credits = await tx.fetchall("SELECT film_id, role, position, name FROM film_credits")
        await tx.execute("DELETE FROM film_credit_words")
        for film_id, role, position, name in credits:
            old = _version_1(name)
            await tx.execute("UPDATE film_credits SET norm = ? WHERE film_id = ? AND role = ? AND position = ?",
                             (old, film_id, role, position))
            for word in set(old.split()):
                await tx.execute("INSERT OR IGNORE INTO film_credit_words (role, word, film_id, position) "
                                 "VALUES (?, ?, ?, ?)", (role, word, film_id, position))
        await store.settings.put(tx, 0, SETTING, 1)


async def _first(store, query: str) -> str | None:
    hits = await Catalogue(store).search(query)
    return hits[0].film.title if hits else None


async def test_an_old_database_is_renormalised_once_and_then_searches_like_a_new_one(catalogue_store):
    store = catalogue_store
    await _make_it_old(store)
    assert await _first(store, "circus") != "Circus"  # "circus" was stored; the query now folds to "tsirtsus"

    changed = await renormalise(store)

    assert changed > 0
    assert await store.settings.get(0, SETTING) == VERSION
    titles = await store.fetchall("SELECT title, norm FROM film_titles")
    assert all(norm == normalise(title) for title, norm in titles)
    credits = await store.fetchall("SELECT film_id, role, position, name, norm FROM film_credits")
    assert all(norm == normalise(name) for *_, name, norm in credits)
    words = {tuple(row) for row in await store.fetchall("SELECT role, word, film_id, position FROM film_credit_words")}
    assert words == {(role, word, film_id, position)
                     for film_id, role, position, _, norm in credits for word in norm.split()}
    # both FTS5 indexes answer with the new keys (substring, word prefix, typo)
    assert await _first(store, "circus") == "Circus"
    assert await _first(store, "cirk") == "Circus"
    assert await _first(store, "irtsu") == "Circus"
    assert await _first(store, "otec soldata") == "Father of a Soldier"
    assert await _first(store, "ja kuba") == "I Am Cuba"
    assert await renormalise(store) == 0  # the version is recorded: nothing to do the second time


async def test_a_new_database_records_the_version_and_changes_nothing(catalogue_store):
    before = await catalogue_store.fetchall("SELECT id, norm FROM film_titles ORDER BY id")
    assert await renormalise(catalogue_store) == 0
    assert await catalogue_store.settings.get(0, SETTING) == VERSION
    assert await catalogue_store.fetchall("SELECT id, norm FROM film_titles ORDER BY id") == before


async def test_the_bot_renormalises_at_start_up(catalogue_store, config):
    await _make_it_old(catalogue_store)
    config = dataclasses.replace(config, discord=dataclasses.replace(config.discord, dev_guild_id=None))
    bot = create_bot(config, catalogue_store)
    try:
        await bot.setup_hook()
    finally:
        await bot.close()
    assert await catalogue_store.settings.get(0, SETTING) == VERSION
    assert await _first(catalogue_store, "cirk") == "Circus"
