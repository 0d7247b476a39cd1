"""Curated lists in the store."""

from __future__ import annotations


async def test_lists_containing_a_film_carry_the_curators_note(catalogue_store):
    cranes = await catalogue_store.films.get_by_key("the-cranes-are-flying-1957")
    ((found, note, _notes),) = await catalogue_store.lists.containing(guild_id=5, film_id=cranes.id)
    assert found.key == "soviet-films-about-parenthood" and found.size == 10 and found.bundled
    assert "Palme d'Or" in note


async def _entries(store, list_id):
    return [(entry.film.key, entry.position, entry.note) for entry in await store.lists.entries(list_id)]


async def test_a_servers_list_is_found_before_a_bundled_one_with_its_key(catalogue_store):
    store = catalogue_store
    async with store.transaction() as tx:
        await store.lists.create(tx, 7, "soviet-cinema-essentials", "Ours", None, 1)
    assert (await store.lists.find(7, "soviet-cinema-essentials")).name == "Ours"
    assert (await store.lists.find(8, "soviet-cinema-essentials")).bundled
    assert await store.lists.find(8, "nope") is None


async def test_entries_insert_reorder_remove_and_replace_keep_positions_contiguous(catalogue_store):
    store = catalogue_store
    ids = await store.films.ids_by_key(["the-mirror-1975", "i-am-cuba-1964", "circus-1936"])
    mirror, cuba, circus = ids["the-mirror-1975"], ids["i-am-cuba-1964"], ids["circus-1936"]
    async with store.transaction() as tx:
        list_id = await store.lists.create(tx, 7, "mine", "Mine", "about", 1)
        await store.lists.add_entry(tx, list_id, mirror, 1, None, 1)
        await store.lists.add_entry(tx, list_id, cuba, 1, "first", 1)
        await store.lists.add_entry(tx, list_id, circus, 2, None, 1)
    assert await _entries(store, list_id) == [
        ("i-am-cuba-1964", 1, "first"), ("circus-1936", 2, None), ("the-mirror-1975", 3, None),
    ]
    async with store.transaction() as tx:
        await store.lists.reorder(tx, list_id, [mirror, cuba, circus])
        await store.lists.remove_entry(tx, list_id, cuba)
    assert await _entries(store, list_id) == [("the-mirror-1975", 1, None), ("circus-1936", 2, None)]
    async with store.transaction() as tx:
        await store.lists.replace_entries(tx, list_id, [(cuba, "only")], 2)
    assert await _entries(store, list_id) == [("i-am-cuba-1964", 1, "only")]
    async with store.transaction() as tx:
        assert await store.lists.delete(tx, list_id)
        assert not await store.lists.delete(tx, list_id)
    counts = await store.counts()
    assert counts["lists"] == 2 and counts["list_entries"] == 16


async def test_a_failed_change_leaves_nothing_behind(catalogue_store):
    import pytest

    store = catalogue_store
    before = await store.counts()
    with pytest.raises(RuntimeError):
        async with store.transaction() as tx:
            list_id = await store.lists.create(tx, 7, "mine", "Mine", None, 1)
            await store.lists.add_entry(tx, list_id, 1, 1, None, 1)
            raise RuntimeError("interrupted")
    assert await store.counts() == before
