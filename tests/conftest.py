"""Shared fixtures: a real SQLite file per test, and the real bot inside SimCord's simulated Discord."""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from discord import app_commands
from simcord import Env

from bot import clock
from bot.app import create_bot, user_message
from bot.catalogue.bundled import load_bundle, read_bundle
from bot.config import BUNDLED_DATA, Config, parse_config
from bot.store import Store

DEV_GUILD = 424_242_424_242_424_242


@pytest.fixture(autouse=True)
def member_locales(monkeypatch):
    """Each test starts with every member on English; `tests.locales.speaks` changes one."""
    from simcord import interactions

    from tests import locales

    locales.LOCALES.clear()
    monkeypatch.setattr(interactions, "base_payload", locales.with_locales)


@pytest.fixture(autouse=True)
def system_clock():
    """A test may move the bot's clock with `clock.use`; the next test starts on the real one."""
    yield
    clock.use(None)


@pytest.fixture
def config(tmp_path: Path) -> Config:
    # Offline, as the rule for tests is: a test that wants a provider points one at a loopback server.
    config = parse_config(
        {"discord": {"dev_guild_id": DEV_GUILD}, "providers": {"wikidata": False, "tmdb": False}}, environ={}
    )
    return dataclasses.replace(config, database=dataclasses.replace(config.database, path=tmp_path / "kino.db"))


@pytest_asyncio.fixture
async def store(config: Config):
    async with Store.open(config.database.path) as store:
        await store.migrate()
        yield store


@pytest_asyncio.fixture
async def catalogue_store(store: Store) -> Store:
    """A store holding the bundled films and lists."""
    await load_bundle(store, read_bundle(BUNDLED_DATA))
    return store


def _expected(error: BaseException) -> bool:
    """Errors the command tree answers with a message for the member: the designed path, not a bug."""
    return isinstance(error, app_commands.AppCommandError) and user_message(error) is not None


class Club:
    """The simulated server a behaviour test plays in: a channel, a member, a moderator."""

    def __init__(self, env: Env) -> None:
        self.env = env
        self.guild = env.create_guild("Film Club", id=DEV_GUILD)
        self.bot = env.bot
        self.store: Store = env.bot.store
        self.acknowledged = 0

    def take_errors(self) -> tuple[BaseException, ...]:
        """The errors the bot raised so far, which a test that provoked them has now seen."""
        errors = self.env.errors_since(self.acknowledged)
        self.acknowledged = self.env.error_cursor
        return errors

    def assert_pings_no_one(self) -> None:
        """Every message the bot sent or edited so far was sent with mentions switched off."""
        checked = 0
        for request in self.env.http_requests:
            body = request.json if isinstance(request.json, dict) else {}
            body = body.get("data", body) if "/callback" in request.path else body
            if isinstance(body, dict) and ("content" in body or "embeds" in body):
                assert body.get("allowed_mentions") == {"parse": []}, (request.method, request.path, body)
                checked += 1
        assert checked, "the bot sent nothing to check"

    def setup_people(self) -> None:
        import discord

        self.channel = self.guild.create_text_channel("film-club")
        self.moderator_role = self.guild.create_role("Moderator", permissions=discord.Permissions.none())
        self.alice = self.guild.add_member(self.env.create_user("alice"))
        self.boris = self.guild.add_member(self.env.create_user("boris"))
        self.mod = self.guild.add_member(self.env.create_user("veronika"), roles=[self.moderator_role])


@contextlib.asynccontextmanager
async def open_club(config: Config, providers: list | None = None, **store_options) -> AsyncIterator[Club]:
    """The real bot built by `create_bot` (with these online film providers, if any), logged in to a
    simulated Discord with one server; errors no member was told about fail the test at the end."""
    async with Store.open(config.database.path, **store_options) as store:
        env = Env(create_bot(config, store, providers=providers))
        club = Club(env)
        await env.start()
        club.setup_people()
        try:
            yield club
        finally:
            await env.shutdown()
            unexpected = [error for error in env.errors_since(club.acknowledged) if not _expected(error)]
            env.errors  # noqa: B018 - marks them seen for SimCord; the check above is ours
            if unexpected:
                raise ExceptionGroup("the bot raised errors no member was told about", unexpected)


@pytest_asyncio.fixture
async def club(config: Config, request):
    """`open_club` offline, as most tests want it.

    `@pytest.mark.busy_timeout(ms)` opens its store with a shorter lock wait, for tests that hold
    SQLite's write lock from another connection (SimCord expects the bot to settle within 5 s)."""
    marker = request.node.get_closest_marker("busy_timeout")
    busy = {} if marker is None else {"busy_timeout_ms": marker.args[0]}
    async with open_club(config, **busy) as club:
        yield club
