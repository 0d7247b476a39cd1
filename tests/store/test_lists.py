"""Curated lists in the store."""

from __future__ import annotations


async def test_lists_containing_a_film_carry_the_curators_note(catalogue_store):
    cranes = await catalogue_store.films.get_by_key("the-cranes-are-flying-1957")
    ((found, note),) = await catalogue_store.lists.containing(guild_id=5, film_id=cranes.id)
    assert found.key == "soviet-films-about-parenthood" and found.size == 10 and found.bundled
    assert "Palme d'Or" in note
