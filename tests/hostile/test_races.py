"""Decisions that cannot race, and answers within Discord's 3 s, against the real bot and a real file.

- Two servers add one film at the same moment: one gets it, the other is refused, and the audit
  trail names one owner. The concurrency is real: the bot's own Store and a second Store on the same
  SQLite file (what a second bot process would hold) run `add` side by side on the event loop, each
  with its own write connection, so only SQLite's file lock orders their writes.
- A moderator who lost the role since asking presses Confirm: refused, nothing deleted.
- A member with Manage Roles makes a role named like the configured moderator role after the
  server chose its moderator roles by id: not a moderator.
- A film another server's members rated: its owner can neither remove it nor merge it in a way
  that drops their ratings; a merge that only moves them is allowed and they follow the film.
- Another connection holds SQLite's write lock (BEGIN IMMEDIATE, as an IMDb import's merge does)
  through a /rate: the interaction is answered within 3 s of wall time and the final message tells
  what the database holds.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from datetime import UTC, datetime

import discord
import pytest

from bot.catalogue import film_curation
from bot.catalogue.drafts import FilmInput
from bot.club import moderators, rating
from bot.errors import UserError
from bot.store import Store
from cogs._checks import NO_LONGER, REFUSAL
from tests.cogs.film_helpers import CRANES
from tests.cogs.weekly_helpers import (
    candidates,
    follow_simulated_clock,
    open_ballot,
    stored_votes,
    text_of,
    turn_on,
    vote,
)

OTHER_GUILD = 777_000_000_000_000_001


# ---------------------------------------------------------------- helpers


async def second_server(club):
    """Another club on the same bot, with its own moderator and member, commands synced to it."""
    guild = club.env.create_guild("Other Club")
    role = guild.create_role("Moderator", permissions=discord.Permissions.none())
    channel = guild.create_text_channel("kino")
    mod = guild.add_member(club.env.create_user("lyudmila"), roles=[role])
    member = guild.add_member(club.env.create_user("oleg"))
    club.bot.tree.copy_global_to(guild=discord.Object(guild.id))
    await club.bot.tree.sync(guild=discord.Object(guild.id))
    await club.env.settle()
    return guild, channel, mod, member


async def add_film(club, title: str = "Stalker", year: int = 1979) -> str:
    result = await club.mod.slash(club.channel, "film add", title=title, year=year)
    assert result.response.content.startswith("Added"), result.response.content
    return result.response.content.split("[", 1)[1].split("]", 1)[0]


class LockHolder(threading.Thread):
    """Another connection to the file holding the write lock for `seconds` (an import's merge)."""

    def __init__(self, path, seconds: float) -> None:
        super().__init__(daemon=True)
        self.path, self.seconds = path, seconds
        self.held = threading.Event()

    def run(self) -> None:
        other = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            other.execute("BEGIN IMMEDIATE")
            self.held.set()
            time.sleep(self.seconds)
            other.execute("ROLLBACK")
        finally:
            other.close()


class AnswerClock(threading.Thread):
    """Wall time from `start()` until the bot first answers an interaction (its callback request).

    A thread, not a task: it must keep time while the event loop waits on the database."""

    def __init__(self, club) -> None:
        super().__init__(daemon=True)
        self.requests = club.env.http_requests
        self.seen = len(self.requests)
        self.answered_after: float | None = None
        self.done = threading.Event()

    def run(self) -> None:
        started = time.perf_counter()
        while not self.done.is_set() and self.answered_after is None:
            if any("/callback" in entry.path for entry in list(self.requests)[self.seen :]):
                self.answered_after = time.perf_counter() - started
            time.sleep(0.005)


# ------------------------------------------------------- /film add races


async def test_two_servers_adding_one_film_at_once_never_share_it(club, config):
    titles = [f"Quiet Dawn {n}" for n in range(8)]
    async with Store.open(config.database.path) as elsewhere:  # a second bot process's store
        outcomes = []
        for title in titles:
            given = FilmInput(title, 1972)
            outcomes.append(
                await asyncio.gather(
                    film_curation.add(club.store, club.guild.id, club.mod.id, given),
                    film_curation.add(elsewhere, OTHER_GUILD, 99, given),
                    return_exceptions=True,
                )
            )
    for title, (here, there) in zip(titles, outcomes, strict=True):
        won = [
            (guild, film)
            for guild, film in ((club.guild.id, here), (OTHER_GUILD, there))
            if not isinstance(film, BaseException)
        ]
        lost = [error for error in (here, there) if isinstance(error, BaseException)]
        assert len(won) == 1 and len(lost) == 1, (title, here, there)
        assert isinstance(lost[0], UserError) and "already in the catalogue" in lost[0].message
        owner, film = won[0]
        rows = await club.store.fetchall("SELECT id, owner_guild_id FROM films WHERE title = ?", (title,))
        assert [tuple(row) for row in rows] == [(film.id, owner)]
        audit = await club.store.fetchall(
            "SELECT guild_id FROM audit_log WHERE action = 'film.add' AND target = ?", (film.key,)
        )
        assert [row[0] for row in audit] == [owner]

    # What the members see: the bot's server may change only the films it won.
    for (here, _there), title in zip(outcomes, titles, strict=True):
        key = (await club.store.fetchone("SELECT key FROM films WHERE title = ?", (title,)))[0]
        result = await club.mod.slash(club.channel, "film edit", film=key, runtime=90)
        if isinstance(here, BaseException):
            assert "not this server's to change" in result.response.content
        else:
            assert result.response.content.startswith("Changed")


# --------------------------------------------- Confirm re-checks the moderator


def demote(club, member, role) -> None:
    club.env.backend.remove_member_role(club.guild.id, member.id, role.id)


async def test_a_demoted_moderator_confirming_list_delete_deletes_nothing(club):
    created = await club.mod.slash(club.channel, "list create", name="Thaw")
    assert created.response.content.startswith("Created")
    await club.mod.slash(club.channel, "list add", list="thaw", film=CRANES)
    asked = await club.mod.slash(club.channel, "list delete", list="thaw")
    assert "cannot be undone" in asked.response.content
    demote(club, club.mod, club.moderator_role)
    await club.env.settle()
    pressed = await club.mod.click(asked.response, label="Delete")
    assert pressed.response is not None
    assert asked.response.content == NO_LONGER
    rows = await club.store.fetchall("SELECT id FROM lists WHERE guild_id = ? AND key = 'thaw'", (club.guild.id,))
    assert len(rows) == 1
    (entries,) = await club.store.fetchone("SELECT count(*) FROM list_entries WHERE list_id = ?", (rows[0][0],))
    assert entries == 1
    assert not await club.store.fetchall("SELECT 1 FROM audit_log WHERE action = 'list.delete'")
    club.assert_pings_no_one()


async def test_a_demoted_moderator_confirming_film_remove_deletes_nothing(club):
    key = await add_film(club)
    await club.alice.slash(club.channel, "rate", film=key, score=8)
    asked = await club.mod.slash(club.channel, "film remove", film=key)
    assert "Removing it deletes them too" in asked.response.content
    demote(club, club.mod, club.moderator_role)
    await club.env.settle()
    await club.mod.click(asked.response, label="Remove")
    assert asked.response.content == NO_LONGER
    film = await club.store.films.get_by_key(key)
    assert film is not None
    assert (await club.store.ratings.get(club.guild.id, club.alice.id, film.id)).score == 8

    # Still a moderator: the same Confirm goes through.
    club.env.backend.add_member_role(club.guild.id, club.mod.id, club.moderator_role.id)
    await club.env.settle()
    again = await club.mod.slash(club.channel, "film remove", film=key)
    await club.mod.click(again.response, label="Remove")
    assert again.response.content.startswith("Removed")
    assert await club.store.films.get_by_key(key) is None
    club.assert_pings_no_one()


# ------------------------------------------------- moderators are role ids


async def test_a_manage_roles_member_naming_a_role_moderator_is_not_one_once_ids_are_chosen(club):
    owner = club.guild.add_member(
        club.env.create_user("owner"),
        roles=[club.guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))],
    )
    chose = await owner.slash(club.channel, "club moderators", role=club.moderator_role)
    assert f"<@&{club.moderator_role.id}>" in chose.response.content

    # A member who may manage roles makes one with the configured name, in any case, and takes it.
    roles_admin = club.guild.create_role("Role admins", permissions=discord.Permissions(manage_roles=True))
    climber = club.guild.add_member(club.env.create_user("climber"), roles=[roles_admin])
    for name in ("Moderator", "moderator"):
        fake = club.guild.create_role(name, permissions=discord.Permissions.none())
        club.env.backend.add_member_role(club.guild.id, climber.id, fake.id)
    await club.env.settle()
    refused = await climber.slash(club.channel, "list create", name="Mine now")
    assert refused.ephemeral and refused.response.content == REFUSAL
    assert not await club.store.fetchall("SELECT 1 FROM lists WHERE guild_id = ?", (club.guild.id,))

    # The chosen role still works, by id.
    allowed = await club.mod.slash(club.channel, "list create", name="Thaw")
    assert allowed.response.content.startswith("Created")
    club.take_errors()


async def test_before_a_server_chooses_the_name_fallback_is_said_plainly_and_everyone_is_refused(club):
    owner = club.guild.add_member(
        club.env.create_user("owner"),
        roles=[club.guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))],
    )
    text = (await owner.slash(club.channel, "club moderators")).response.content
    assert "named Moderator" in text and "/club moderators role:" in text
    everyone = await owner.slash(club.channel, "club moderators", role=club.guild.default_role)
    assert everyone.ephemeral and "@everyone cannot be a moderator role" in everyone.response.content
    assert await club.store.settings.get(club.guild.id, moderators.SETTING) is None
    club.take_errors()


# --------------------------------- another server's data is not this server's


async def test_remove_and_merge_of_a_film_another_server_rated_keep_their_ratings(club):
    guild, channel, _other_mod, oleg = await second_server(club)
    key = await add_film(club)
    rated = await oleg.slash(channel, "rate", film=key, score=9)
    assert rated.response.content.startswith("Rated")
    await oleg.slash(channel, "rate", film=CRANES, score=6)  # rated both: a merge would drop one
    film = await club.store.films.get_by_key(key)
    cranes = await club.store.films.get_by_key(CRANES)

    removing = await club.mod.slash(club.channel, "film remove", film=key)
    assert "other servers" in removing.response.content and removing.response.components == []
    merging = await club.mod.slash(club.channel, "film merge", keep=CRANES, duplicate=key)
    assert "other servers" in merging.response.content
    assert (await club.store.ratings.get(guild.id, oleg.id, film.id)).score == 9
    assert (await club.store.ratings.get(guild.id, oleg.id, cranes.id)).score == 6
    assert await club.store.films.get_by_key(key) is not None
    assert not await club.store.fetchall("SELECT 1 FROM audit_log WHERE action IN ('film.remove', 'film.merge')")

    # Once a merge would only move their rating (Oleg no longer rated both), it goes through.
    await oleg.slash(channel, "unrate", film=CRANES)
    merged = await club.mod.slash(club.channel, "film merge", keep=CRANES, duplicate=key)
    assert merged.response.content.startswith("Merged"), merged.response.content
    assert (await club.store.ratings.get(guild.id, oleg.id, cranes.id)).score == 9
    assert await club.store.films.get_by_key(key) is None
    club.assert_pings_no_one()


# ------------------------------------------- writes while the lock is held


@pytest.mark.parametrize(
    ("hold", "patience", "outcome"),
    [
        (4.0, None, "saved"),  # within the store's own busy timeout (5 s): the write waits and lands
        # Longer than the busy timeout: the member is told the rating is queued, and it lands.
        pytest.param(2.5, None, "queued", marks=pytest.mark.busy_timeout(1000)),
        # Longer than the rating's patience too (none here): the member reads that it was not saved.
        pytest.param(4.0, 0.0, "not saved", marks=pytest.mark.busy_timeout(1000)),
    ],
)
async def test_rate_through_a_held_write_lock_is_answered_in_3s_and_tells_the_truth(
    club, monkeypatch, hold, patience, outcome
):
    if patience is not None:
        monkeypatch.setattr(rating, "PATIENCE", patience)
    club.env.settle_timeout = 15  # the bot genuinely waits on the file for seconds here
    cranes = await club.store.films.get_by_key(CRANES)
    holder = LockHolder(club.store.path, hold)
    holder.start()
    assert holder.held.wait(5)
    watch = AnswerClock(club)
    watch.start()
    started = time.perf_counter()
    try:
        result = await club.alice.slash(club.channel, "rate", film=CRANES, score=7)
        took = time.perf_counter() - started
    finally:
        watch.done.set()
        watch.join()
        holder.join()
    print(f"lock held {hold} s: answered after {watch.answered_after:.3f} s, final reply after {took:.3f} s")
    assert watch.answered_after is not None and watch.answered_after < 3.0, watch.answered_after
    stored = await club.store.ratings.get(club.guild.id, club.alice.id, cranes.id)
    said = [message.content for message in (result.response, *result.followups)]
    queued = any("your rating is queued" in text for text in said)
    if outcome == "not saved":
        assert text_of(result).startswith("Your rating was not saved")
        assert stored is None
        club.take_errors()
    else:
        assert took >= hold - 0.5  # it really waited for the lock
        assert queued == (outcome == "queued"), said
        assert text_of(result) == "Rated The Cranes Are Flying (1957): 7/10"
        assert stored is not None and stored.score == 7
    club.assert_pings_no_one()


async def test_a_vote_through_a_held_write_lock_is_answered_in_3s_and_counted(club):
    follow_simulated_clock(club, datetime(2026, 3, 23, 10, 0, tzinfo=UTC))
    await turn_on(club, timezone="Europe/Berlin")
    ballot = await open_ballot(club)
    club.env.settle_timeout = 15
    holder = LockHolder(club.store.path, 4.0)
    holder.start()
    assert holder.held.wait(5)
    watch = AnswerClock(club)
    watch.start()
    try:
        result = await vote(club.alice, club, ballot, 1)
    finally:
        watch.done.set()
        watch.join()
        holder.join()
    print(f"vote, lock held 4.0 s: answered after {watch.answered_after:.3f} s")
    assert watch.answered_after is not None and watch.answered_after < 3.0, watch.answered_after
    assert result.ephemeral and "not saved" not in text_of(result)
    (first, _label), *_ = await candidates(club, ballot)
    assert (club.alice.id, first) in await stored_votes(club, ballot)
    club.assert_pings_no_one()
