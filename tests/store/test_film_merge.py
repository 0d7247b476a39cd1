"""/film merge leaves nothing behind: every reference to a film the schema has is found in SQLite itself.

The references are read from the database, not listed by hand: every foreign key to films (PRAGMA
foreign_key_list over every table in sqlite_master), every column named like a film id that has
none (votes.film_id points at candidates, results.winner_id at nothing), and the JSON columns
that hold film ids. A table or column added later fails here until it is seeded below, and so
until someone decides what a merge does with it.
"""

from __future__ import annotations

from bot.store import Store
from bot.store.models import FilmDraft, Title

GUILD, MEMBER, OTHER = 1, 7, 8
STAMP = "2026-01-01T00:00:00+00:00"

# The duplicate's own catalogue facts: they describe the duplicate and go with it.
# Where an online-added duplicate came from (film_origins) describes the duplicate too.
DROPPED = {
    "film_titles", "film_credits", "film_credit_words", "film_tags", "film_texts", "provider_cache", "film_origins",
}
# Film ids inside JSON text: (table, column, SQL true when the row still names :film).
JSON_REFERENCES = {
    ("results", "counts"): "EXISTS (SELECT 1 FROM json_each(results.counts) j WHERE j.value ->> 0 = :film)",
}
# One row naming the duplicate (:dup) in every table that can; :ballot and :list exist already.
SEEDS = {
    "ratings": "INSERT INTO ratings (guild_id, user_id, film_id, score, created_at, updated_at) "
    "VALUES (1, 7, :dup, 8, :at, :at)",
    "rating_history": "INSERT INTO rating_history (guild_id, user_id, film_id, score, changed_at) "
    "VALUES (1, 7, :dup, 6, :at), (1, 7, :dup, 8, :at)",
    "list_entries": "INSERT INTO list_entries (list_id, film_id, position, added_at) VALUES (:list, :dup, 1, :at)",
    "picks": "INSERT INTO picks (guild_id, week, film_id, how, ballot_id, picked_at) "
    "VALUES (1, '2026-W02', :dup, 'vote', :ballot, :at)",
    "candidates": "INSERT INTO candidates (ballot_id, film_id, position, nominated_by) VALUES (:ballot, :dup, 0, 8)",
    "votes": "INSERT INTO votes (ballot_id, user_id, film_id, created_at) VALUES (:ballot, 7, :dup, :at)",
    "results": "INSERT INTO results (ballot_id, winner_id, counts, voters, left_out, decided, seed) "
    "VALUES (:ballot, :dup, json_array(json_array(:dup, 1)), 1, '[]', 'most_votes', 3)",
    "nominations": "INSERT INTO nominations (guild_id, user_id, film_id, created_at) VALUES (1, 7, :dup, :at)",
    "list_texts": "INSERT INTO list_texts (list_id, film_id, language, field, text) "
    "VALUES (:list, :dup, 'ru', 'note', 'Заметка')",
}


async def film_references(store: Store) -> set[tuple[str, str]]:
    """(table, column) of every column that holds a film id, as the schema itself declares or names it."""
    found = set()
    for (table,) in await store.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for fk in await store.fetchall(f"PRAGMA foreign_key_list('{table}')"):
            if fk["table"] == "films":
                found.add((table, fk["from"]))
        for column in await store.fetchall(f"PRAGMA table_info('{table}')"):
            name = column["name"]
            if table != "films" and (name == "film_id" or name.endswith("_film_id") or name == "winner_id"):
                found.add((table, name))
    return found


async def film(store: Store, key: str, title: str) -> int:
    draft = FilmDraft(
        key=key, title=title, source="moderator", year=1957, directors=("Mikhail Kalatozov",),
        cast=("Tatiana Samoilova",), countries=("Soviet Union",), genres=("Drama",),
        aliases=(Title("Летят журавли", "ru"),),
    )
    async with store.transaction() as tx:
        film_id, _ = await store.films.upsert(tx, draft, lambda text: text.lower())
        await store.films.put_synopses(tx, film_id, {"ru": "Москва, 1941 год."})
        await store.enrichment.put(tx, film_id, "tmdb", "not_found", None, STAMP, STAMP)
        await store.enrichment.put_origin(tx, film_id, "wikidata", "Q1146291", GUILD, MEMBER, STAMP)
    return film_id


async def test_merge_moves_every_reference_the_schema_has(store):
    keep = await film(store, "m-cranes-are-flying-1957", "The Cranes Are Flying")
    dup = await film(store, "m-cranes-are-flying-1957-2", "Cranes Are Flying")
    async with store.transaction() as tx:
        list_id = await store.lists.create(tx, GUILD, "war", "War films", None, MEMBER)
        ballot = await tx.execute(
            "INSERT INTO ballots (guild_id, week, status, seed, channel_id, opened_at, closes_at) "
            "VALUES (1, '2026-W02', 'closed', 3, 5, :at, :at)",
            {"at": STAMP},
        )
        for sql in SEEDS.values():
            await tx.execute(sql, {"dup": dup, "ballot": ballot, "list": list_id, "at": STAMP})

    references = await film_references(store)
    tables = {table for table, _ in references} | {table for table, _ in JSON_REFERENCES}
    assert tables - DROPPED == set(SEEDS), "a table refers to films: seed it here and decide what merge does"
    before = {ref: await rows_naming(store, ref, dup) for ref in references | set(JSON_REFERENCES)}
    assert all(before.values()), [ref for ref, n in before.items() if not n]  # every reference was seeded

    async with store.transaction() as tx:
        await store.films.merge(tx, keep, dup)

    for ref in references | set(JSON_REFERENCES):
        assert await rows_naming(store, ref, dup) == 0, f"{ref} still names the merged-away film"
        if ref[0] not in DROPPED:
            assert await rows_naming(store, ref, keep) == before[ref], f"{ref} did not move to the kept film"
    assert await store.films.get(dup) is None
    # The member's rating kept its past: both changes, in order, now on the kept film.
    assert [score for score, _ in await store.ratings.history(GUILD, MEMBER, keep)] == [6, 8]


async def rows_naming(store: Store, ref: tuple[str, str], film_id: int) -> int:
    table, column = ref
    where = JSON_REFERENCES.get(ref, f'"{column}" = :film')
    (row,) = await store.fetchall(f'SELECT count(*) FROM "{table}" WHERE {where}', {"film": film_id})
    return int(row[0])
