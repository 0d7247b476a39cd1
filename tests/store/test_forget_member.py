"""/forget me leaves nothing of the member behind in that server, by every column the schema has.

The columns are read from SQLite, not listed by hand: every column named user_id, member_id or
*_by in every table of sqlite_master holds a member id, and so does results.left_out (JSON). Each
is either forgotten or in KEPT with the reason (README, /forget me), so a column added later fails
here until someone decides which it is.
"""

from __future__ import annotations

import json

from bot.club import rating
from bot.store import Store
from bot.store.models import FilmDraft

GUILD, ELSEWHERE = 1, 2
MEMBER, NEIGHBOUR = 7, 8
STAMP = "2026-01-01T00:00:00+00:00"

# What names the member as a moderator acting for the server: the server's record, not theirs.
KEPT = {
    ("audit_log", "user_id"): "the moderators' trail of who changed what (only moderators and the bot write it)",
    ("ballots", "opened_by"): "a moderator opening the week's ballot by hand",
    ("picks", "picked_by"): "a moderator choosing or skipping the film of the week",
    ("lists", "created_by"): "a moderator curating the server's list",
    ("list_entries", "added_by"): "a moderator curating the server's list",
    ("films", "added_by"): "a moderator adding a film to the catalogue every server shares",
    ("film_origins", "added_by"): "where a film of the catalogue every server shares came from (an online search)",
}
JSON_MEMBERS = {
    ("results", "left_out"): "EXISTS (SELECT 1 FROM json_each(results.left_out) j WHERE j.value ->> 0 = :member)",
}
# Rows naming :member (and :neighbour beside them) in server :guild, in an order foreign keys allow.
SEEDS = {
    ("ratings", "user_id"): "INSERT INTO ratings (guild_id, user_id, film_id, score, review, created_at, updated_at) "
    "VALUES (:guild, :member, :film, 8, 'Wonderful', :at, :at), (:guild, :neighbour, :film, 6, NULL, :at, :at)",
    ("rating_history", "user_id"): "INSERT INTO rating_history (guild_id, user_id, film_id, score, changed_at) "
    "VALUES (:guild, :member, :film, 8, :at), (:guild, :neighbour, :film, 6, :at)",
    ("nominations", "user_id"): "INSERT INTO nominations (guild_id, user_id, film_id, created_at) "
    "VALUES (:guild, :member, :film, :at), (:guild, :neighbour, :film, :at)",
    ("candidates", "nominated_by"): "INSERT INTO candidates (ballot_id, film_id, position, nominated_by) "
    "VALUES (:ballot, :film, 0, :member)",
    ("votes", "user_id"): "INSERT INTO votes (ballot_id, user_id, film_id, created_at) "
    "VALUES (:ballot, :member, :film, :at), (:ballot, :neighbour, :film, :at)",
    ("results", "left_out"): "INSERT INTO results (ballot_id, winner_id, counts, voters, left_out, decided, seed) "
    "VALUES (:ballot, :film, json_array(json_array(:film, 1)), 1, "
    "json_array(json_array(:member, 'left the server'), json_array(:neighbour, 'voted twice')), 'most_votes', 3)",
    ("audit_log", "user_id"): "INSERT INTO audit_log (guild_id, user_id, action, target, created_at) "
    "VALUES (:guild, :member, 'week.open', '2026-W02', :at)",
    ("ballots", "opened_by"): "UPDATE ballots SET opened_by = :member WHERE id = :ballot",
    ("picks", "picked_by"): "INSERT INTO picks (guild_id, week, film_id, how, ballot_id, picked_by, picked_at) "
    "VALUES (:guild, '2026-W02', :film, 'moderator', :ballot, :member, :at)",
    ("lists", "created_by"): "UPDATE lists SET created_by = :member WHERE id = :list",
    ("list_entries", "added_by"): "INSERT INTO list_entries (list_id, film_id, position, added_by, added_at) "
    "VALUES (:list, :film, 1, :member, :at)",
    ("films", "added_by"): "UPDATE films SET added_by = :member, owner_guild_id = :guild WHERE id = :film",
    ("film_origins", "added_by"): "INSERT INTO film_origins (film_id, provider, provider_id, guild_id, added_by, "
    "added_at) VALUES (:film, 'wikidata', 'Q1146291', :guild, :member, :at)",
}


async def member_columns(store: Store) -> set[tuple[str, str]]:
    found = set()
    for (table,) in await store.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for column in await store.fetchall(f"PRAGMA table_info('{table}')"):
            name = column["name"]
            if name in ("user_id", "member_id") or name.endswith(("_user_id", "_by")):
                found.add((table, name))
    return found


async def in_server(store: Store, table: str) -> str:
    """The SQL condition that a row of `table` belongs to server :guild."""
    columns = {column["name"] for column in await store.fetchall(f"PRAGMA table_info('{table}')")}
    if "guild_id" in columns:
        return "guild_id = :guild"
    if "ballot_id" in columns:
        return "ballot_id IN (SELECT id FROM ballots WHERE guild_id = :guild)"
    if "list_id" in columns:
        return "list_id IN (SELECT id FROM lists WHERE guild_id = :guild)"
    if table == "films":
        return "owner_guild_id = :guild"
    raise AssertionError(f"cannot tell which server a row of {table} belongs to")


async def naming(store: Store, ref: tuple[str, str], guild_id: int, member: int = MEMBER) -> int:
    table, column = ref
    where = JSON_MEMBERS.get(ref, f'"{column}" = :member')
    (row,) = await store.fetchall(
        f'SELECT count(*) FROM "{table}" WHERE {where} AND {await in_server(store, table)}',
        {"member": member, "guild": guild_id},
    )
    return int(row[0])


async def seed(store: Store, guild_id: int, key: str) -> None:
    async with store.transaction() as tx:
        film_id, _ = await store.films.upsert(
            tx, FilmDraft(key=key, title=f"Film {key}", source="moderator", year=1957), str.lower
        )
        list_id = await store.lists.create(tx, guild_id, "war", "War films", None, NEIGHBOUR)
        ballot = await tx.execute(
            "INSERT INTO ballots (guild_id, week, status, seed, channel_id, opened_at, closes_at) "
            "VALUES (?, '2026-W02', 'closed', 3, 5, ?, ?)",
            (guild_id, STAMP, STAMP),
        )
        params = {
            "guild": guild_id, "member": MEMBER, "neighbour": NEIGHBOUR, "film": film_id, "ballot": ballot,
            "list": list_id, "at": STAMP,
        }
        for sql in SEEDS.values():
            await tx.execute(sql, params)


async def test_forget_me_clears_every_column_naming_the_member_except_the_kept_ones(store):
    columns = await member_columns(store)
    assert set(KEPT) <= columns, "KEPT names a column the schema no longer has"
    assert columns | set(JSON_MEMBERS) == set(SEEDS), "a column holds a member id: seed it and decide its fate"
    await seed(store, GUILD, "m-here-1957")
    await seed(store, ELSEWHERE, "m-there-1957")
    refs = sorted(SEEDS)
    before = {ref: await naming(store, ref, GUILD) for ref in refs}
    assert all(before.values()), [ref for ref, n in before.items() if not n]  # every column was seeded
    neighbours = {ref: await naming(store, ref, GUILD, NEIGHBOUR) for ref in refs}
    elsewhere = {ref: await naming(store, ref, ELSEWHERE) for ref in refs}

    counts = await rating.forget_member(store, GUILD, MEMBER)

    assert counts == {"ratings": 1, "history": 1, "votes": 1, "nominations": 1}
    for ref in refs:
        assert await naming(store, ref, GUILD) == (before[ref] if ref in KEPT else 0), ref
        assert await naming(store, ref, GUILD, NEIGHBOUR) == neighbours[ref], ref  # other members' rows stay
        assert await naming(store, ref, ELSEWHERE) == elsewhere[ref], ref  # and so does every other server
    # The film they nominated is still a candidate, without their name; the result lists only the neighbour.
    (candidate,) = await store.fetchall(
        "SELECT nominated_by FROM candidates WHERE ballot_id IN (SELECT id FROM ballots WHERE guild_id = ?)", (GUILD,)
    )
    assert candidate["nominated_by"] is None
    (result,) = await store.fetchall(
        "SELECT left_out FROM results WHERE ballot_id IN (SELECT id FROM ballots WHERE guild_id = ?)", (GUILD,)
    )
    assert json.loads(result["left_out"]) == [[NEIGHBOUR, "voted twice"]]
