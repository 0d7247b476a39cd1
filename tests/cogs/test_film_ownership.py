"""Which server may change a moderator's film: the one that added it, whatever was removed before.

Two simulated servers on one bot share the catalogue. Ownership is stored with the film and keys
are never given twice, so a film removed on server A and added again on server B (same title, same
year) is B's alone, and A's old audit entries name a key no film will hold again.
"""

from __future__ import annotations

import discord
import pytest

from bot.catalogue import film_curation
from bot.catalogue.drafts import FilmInput
from bot.errors import UserError
from tests.cogs.film_helpers import CRANES

NOT_OURS = "not this server's to change"
MEXICAN = "the-mexican-1955"


class Server:
    """One club: a channel and a moderator; `films` are the keys its moderators added and kept."""

    def __init__(self, guild, channel, mod) -> None:
        self.guild, self.channel, self.mod = guild, channel, mod
        self.films: set[str] = set()


async def two_servers(club) -> tuple[Server, Server]:
    a = Server(club.guild, club.channel, club.mod)
    guild = club.env.create_guild("Other Club")
    role = guild.create_role("Moderator", permissions=discord.Permissions.none())
    channel = guild.create_text_channel("kino")
    mod = guild.add_member(club.env.create_user("lyudmila"), roles=[role])
    # The bot syncs its commands to the dev server only; here they are synced to this one as well.
    club.bot.tree.copy_global_to(guild=discord.Object(guild.id))
    await club.bot.tree.sync(guild=discord.Object(guild.id))
    await club.env.settle()
    return a, Server(guild, channel, mod)


async def add(server: Server, title: str = "Stalker", year: int = 1979) -> str:
    result = await server.mod.slash(server.channel, "film add", title=title, year=year)
    assert result.ephemeral and result.response.content.startswith("Added"), result.response.content
    key = result.response.content.split("[", 1)[1].split("]", 1)[0]
    server.films.add(key)
    return key


async def remove(server: Server, key: str) -> None:
    result = await server.mod.slash(server.channel, "film remove", film=key)
    assert result.response.content.startswith("Removed"), result.response.content
    server.films.discard(key)


async def refused_everything(club, server: Server, key: str) -> None:
    """`server` can neither edit, nor merge away, nor remove the film `key`, and it is unchanged."""
    before = await club.store.films.get_by_key(key)
    for command, options in [
        ("film edit", {"film": key, "runtime": 42}),
        ("film merge", {"keep": MEXICAN if key == CRANES else CRANES, "duplicate": key}),
        ("film remove", {"film": key}),
    ]:
        result = await server.mod.slash(server.channel, command, **options)
        assert result.ephemeral and NOT_OURS in result.response.content, (command, result.response.content)
    assert await club.store.films.get_by_key(key) == before


async def test_a_film_removed_on_one_server_and_added_on_another_is_only_the_seconds(club):
    a, b = await two_servers(club)
    first = await add(a)
    await refused_everything(club, b, first)

    await remove(a, first)
    second = await add(b)  # same title and year: a new film, under a key never used before
    assert second != first and await club.store.films.get_by_key(first) is None
    await refused_everything(club, a, second)
    gone = await a.mod.slash(a.channel, "film edit", film=first, runtime=42)
    assert gone.ephemeral and gone.response.content.startswith(f"No film matching “{first}”")  # not B's film
    assert (await club.store.films.get_by_key(second)).runtime is None

    # B's own moderators still can; A's audit trail names only the key of A's removed film.
    edited = await b.mod.slash(b.channel, "film edit", film=second, runtime=161)
    assert edited.ephemeral and (await club.store.films.get_by_key(second)).runtime == 161
    assert {entry.target for entry in await club.store.audit.latest(a.guild.id, 10)} == {first}


async def test_no_sequence_of_adds_and_removes_lets_a_server_change_anothers_film(club):
    a, b = await two_servers(club)
    servers = {"A": a, "B": b}
    # Each server adds, removes and re-adds the same title in two years, in turn with the other.
    steps = [
        ("A", "add", 1979), ("A", "remove", 1979), ("B", "add", 1979), ("A", "add", 1980), ("B", "remove", 1979),
        ("A", "remove", 1980), ("A", "add", 1979), ("B", "add", 1980), ("A", "remove", 1979), ("B", "add", 1979),
        ("B", "remove", 1980), ("A", "add", 1980),
    ]
    made: dict[str, Server] = {}
    for name, step, year in steps:
        server = servers[name]
        if step == "add":
            key = await add(server, year=year)
            assert key not in made  # a key is never given twice
            made[key] = server
        else:
            (key,) = [key for key in server.films if f"-{year}" in key]
            await remove(server, key)
        # After every step: each film there is is its maker's alone.
        for key, maker in made.items():
            current = await film(club, key)
            assert (current is not None) == (key in maker.films)
            if current is None:
                continue
            assert await club.store.films.owner(club.store, current.id, key) == maker.guild.id
            await refused_everything(club, b if maker is a else a, key)
            assert await film_curation.references(club.store, maker.guild.id, current) is not None
    assert len(made) == 7


async def film(club, key: str):
    return await club.store.films.get_by_key(key)


async def test_a_command_begun_before_a_removal_cannot_reach_the_film_that_takes_its_id(club):
    """SQLite may give a removed film's id to the next film; every ownership check compares keys too."""
    a, b = await two_servers(club)
    key = await add(a)
    stale = await film(club, key)
    refs = await club.store.films.references(club.store, stale.id)
    await remove(a, key)
    taken = await film(club, await add(b))
    assert taken.id == stale.id  # the id came back, the key did not
    attempts = {
        "edit": lambda: film_curation.edit(club.store, a.guild.id, a.mod.id, stale, FilmInput(runtime=42)),
        "merge": lambda: film_curation.merge(club.store, a.guild.id, a.mod.id, cranes, stale),
        # The confirmed half of /film remove checks only inside its transaction.
        "remove": lambda: film_curation.remove(club.store, a.guild.id, a.mod.id, stale, refs),
    }
    cranes = await film(club, CRANES)
    for name, attempt in attempts.items():
        with pytest.raises(UserError) as refused:
            await attempt()
        assert "has just been removed" in refused.value.message or NOT_OURS in refused.value.message, name
    assert "has just been removed" in refused.value.message
    assert await film(club, taken.key) == taken


async def test_bundled_films_belong_to_no_server(club):
    a, b = await two_servers(club)
    cranes = await film(club, CRANES)
    for server in (a, b):
        assert await club.store.films.owner(club.store, cranes.id, CRANES) is None
        await refused_everything(club, server, CRANES)
