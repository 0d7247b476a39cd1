"""`kinoclub sync` as the owner runs it, against the loopback fake Discord: what was published where."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest
from aiohttp import web

from tests.test_run_process import BOT, ROOT, TOKEN, FakeDiscord, site_dir

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the fake Discord's child runs on POSIX here")

DEV_GUILD = 987654321098765432
GLOBAL = f"/api/v10/applications/{BOT['id']}/commands"
GUILD = f"/api/v10/applications/{BOT['id']}/guilds/{DEV_GUILD}/commands"


class CommandsDiscord(FakeDiscord):
    """The fake, plus Discord's bulk overwrite of commands: it records every list PUT to each route."""

    def __init__(self) -> None:
        super().__init__()
        self.puts: list[tuple[str, list[dict]]] = []

    async def unknown(self, request: web.Request) -> web.Response:
        if request.method != "PUT" or request.path not in (GLOBAL, GUILD):
            return await super().unknown(request)
        commands = await request.json()
        self.puts.append((request.path, commands))
        answered = [
            {**command, "id": str(1000 + number), "application_id": BOT["id"], "version": "1",
             "default_member_permissions": command.get("default_member_permissions"),
             **({"guild_id": str(DEV_GUILD)} if request.path == GUILD else {})}
            for number, command in enumerate(commands)
        ]
        return web.Response(body=json.dumps(answered).encode(), content_type="application/json")


@pytest.fixture
async def discord_fake():
    fake = CommandsDiscord()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


async def _sync(tmp_path: Path, fake: CommandsDiscord, dev_guild: int | None) -> tuple[int, str]:
    settings = tmp_path / "config.yaml"
    settings.write_text(
        f"database:\n  path: {tmp_path / 'club.db'}\ndiscord:\n  dev_guild_id: {dev_guild or 'null'}\n",
        encoding="utf-8",
    )
    environ = {key: value for key, value in os.environ.items() if not key.startswith("KINOCLUB_")}
    environ["KINOCLUB_TOKEN"] = TOKEN
    folder = site_dir(tmp_path, fake.url, f"ws://127.0.0.1:{fake.port}/gateway/")
    environ["PYTHONPATH"] = os.pathsep.join([str(folder), str(ROOT)])
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "sync", "--config", str(settings),
        cwd=tmp_path, env=environ, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(child.communicate(), 60)
    return child.returncode, output.decode(errors="replace")


async def test_sync_with_a_dev_server_publishes_globally_and_empties_the_dev_server(tmp_path, discord_fake):
    code, output = await _sync(tmp_path, discord_fake, DEV_GUILD)
    assert code == 0, output
    assert "Traceback" not in output and TOKEN not in output
    assert discord_fake.unexpected == []
    # Start-up copies nothing to the dev server during sync: one global list, then the dev server emptied.
    assert [path for path, _ in discord_fake.puts] == [GLOBAL, GUILD], discord_fake.puts
    (_, published), (_, dev_server) = discord_fake.puts
    names = {command["name"] for command in published}
    assert {"rate", "film", "club", "list"} <= names, names
    assert len(names) == len(published)  # each command once
    assert dev_server == []
    assert f"synced {len(published)} commands globally" in output
    assert "cleared the dev server's copies" in output


async def test_sync_without_a_dev_server_touches_only_the_global_commands(tmp_path, discord_fake):
    code, output = await _sync(tmp_path, discord_fake, None)
    assert code == 0, output
    assert [path for path, _ in discord_fake.puts] == [GLOBAL]
    assert "cleared" not in output
