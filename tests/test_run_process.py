"""`kinoclub run` as a service manager runs it: a real child process, a fake Discord on 127.0.0.1, real signals.

The fake answers what discord.py asks at login (REST) and speaks the gateway protocol (HELLO, IDENTIFY,
READY, heartbeats) over a websocket. The child is pointed at it by a sitecustomize.py first on its
PYTHONPATH, so the code under test is the production code, unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sqlite3
import sys
import textwrap
from pathlib import Path

import pytest
from aiohttp import WSMsgType, web

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGTERM") or os.name != "posix", reason="needs POSIX signals")

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.fake-test.token-never-to-be-printed"
BOT = {"id": "1234567890123456789", "username": "kinoclub-test", "discriminator": "0", "avatar": None, "bot": True}
ONLINE_WITHIN = 30.0
EXIT_WITHIN = 15.0


def _json(body: dict, status: int = 200) -> web.Response:
    # discord.py parses a body only under exactly "application/json", as Discord sends it (no charset).
    return web.Response(body=json.dumps(body).encode(), status=status, content_type="application/json")


class FakeDiscord:
    """Just enough of Discord for a bot in no servers to log in, connect, idle and disconnect."""

    def __init__(self) -> None:
        self.port = 0
        self.unexpected: list[str] = []  # REST calls this fake does not know: it must grow, or the bot is wrong
        self.authorizations: set[str] = set()
        self.gateway_queries: list[dict[str, str]] = []
        self.identified = asyncio.Event()
        self.identify: dict = {}
        self.close_codes: list[int | None] = []
        # The gateway holds its answer to the bot's close frame until the test has signalled twice, so
        # that the second signal certainly lands while the bot is stopping.
        self.release_close = asyncio.Event()
        # Set, the login request waits for it: a test can signal the bot while it is still logging in.
        self.hold_login: asyncio.Event | None = None
        self.login_seen = asyncio.Event()
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/api/v10/users/@me", self.me)
        app.router.add_get("/api/v10/oauth2/applications/@me", self.application)
        app.router.add_get("/api/v10/gateway/bot", self.gateway_bot)
        app.router.add_get("/gateway/", self.gateway)
        app.router.add_route("*", "/{tail:.*}", self.unknown)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self.release_close.set()
        if self.hold_login is not None:
            self.hold_login.set()
        if self._runner is not None:
            await self._runner.cleanup()

    def _seen(self, request: web.Request) -> None:
        self.authorizations.add(request.headers.get("Authorization", ""))

    async def me(self, request: web.Request) -> web.Response:
        self._seen(request)
        self.login_seen.set()
        if self.hold_login is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.hold_login.wait(), EXIT_WITHIN)
        return _json(BOT)

    async def application(self, request: web.Request) -> web.Response:
        self._seen(request)
        return _json(
            {
                "id": BOT["id"], "name": "kinoclub-test", "description": "", "icon": None, "bot_public": False,
                "bot_require_code_grant": False, "owner": {**BOT, "id": "42", "bot": False},
                "verify_key": "00", "flags": 0,
            }
        )

    async def gateway_bot(self, request: web.Request) -> web.Response:
        self._seen(request)
        return _json(
            {
                "url": f"ws://127.0.0.1:{self.port}/gateway/",
                "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
            }
        )

    async def unknown(self, request: web.Request) -> web.Response:
        self.unexpected.append(f"{request.method} {request.path}")
        return _json({"message": "Unknown route in the test's fake Discord", "code": 0}, status=404)

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        self.gateway_queries.append(dict(request.query))
        # autoclose off: the close frame is answered by hand, when the test says so.
        ws = web.WebSocketResponse(autoclose=False)
        await ws.prepare(request)
        await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41_250}, "s": None, "t": None}))
        sequence = 0
        while not ws.closed:
            try:
                message = await ws.receive(timeout=EXIT_WITHIN + ONLINE_WITHIN)
            except TimeoutError:
                self.close_codes.append(None)
                break
            if message.type is WSMsgType.TEXT:
                payload = json.loads(message.data)
                if payload["op"] == 1:
                    await ws.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
                elif payload["op"] == 2:
                    self.identify = payload["d"]
                    sequence += 1
                    await ws.send_str(json.dumps({"op": 0, "s": sequence, "t": "READY", "d": self._ready()}))
                    self.identified.set()
            elif message.type is WSMsgType.CLOSE:
                self.close_codes.append(message.data)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.release_close.wait(), EXIT_WITHIN)
                await ws.close()
            else:  # the peer went away without a close frame
                self.close_codes.append(None)
                break
        return ws

    def _ready(self) -> dict:
        return {
            "v": 10,
            "user": BOT,
            "guilds": [],
            "session_id": "test-session",
            "resume_gateway_url": f"ws://127.0.0.1:{self.port}/gateway/",
            "application": {"id": BOT["id"], "flags": 0},
        }


class Output:
    """The child's stdout and stderr, line by line, as it writes them."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self.lines: list[str] = []
        self._stream = stream
        self._new = asyncio.Event()
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while line := await self._stream.readline():
            self.lines.append(line.decode(errors="replace").rstrip("\n"))
            self._new.set()
        self._new.set()

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    async def wait_for(self, needle: str, timeout: float) -> None:
        async def seen() -> None:
            while needle not in self.text:
                if self.reader.done():
                    raise AssertionError(f"the bot ended before logging {needle!r}:\n{self.text}")
                self._new.clear()
                await self._new.wait()

        try:
            await asyncio.wait_for(seen(), timeout)
        except TimeoutError:
            raise AssertionError(f"no {needle!r} within {timeout:.0f} s:\n{self.text}") from None


def _site_dir(tmp_path: Path, fake: FakeDiscord) -> Path:
    return site_dir(tmp_path, fake.url, f"ws://127.0.0.1:{fake.port}/gateway/")


def site_dir(tmp_path: Path, rest: str, gateway: str) -> Path:
    """A folder whose sitecustomize.py points a child's discord.py at `rest` and `gateway`."""
    folder = tmp_path / "site"
    folder.mkdir(exist_ok=True)
    (folder / "sitecustomize.py").write_text(
        textwrap.dedent(
            f"""\
            # Written by tests/test_run_process.py: this child's Discord is the test's fake on 127.0.0.1.
            import discord.gateway
            import discord.http
            import yarl

            discord.http.Route.BASE = "{rest}/api/v10"
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL("{gateway}")
            """
        ),
        encoding="utf-8",
    )
    return folder


@pytest.fixture
async def fake_discord():
    fake = FakeDiscord()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


class Bot:
    """`kinoclub run` in a child process, its output read as it comes."""

    def __init__(self, tmp_path: Path, fake: FakeDiscord) -> None:
        self.tmp_path = tmp_path
        self.fake = fake
        self.database = tmp_path / "club.db"
        self.child: asyncio.subprocess.Process | None = None
        self.output: Output | None = None

    async def start(self) -> None:
        settings = self.tmp_path / "config.yaml"
        settings.write_text(
            f"database:\n  path: {self.database}\ndiscord:\n  dev_guild_id: null\n"
            "catalogue:\n  load_on_start: true\nlogging:\n  level: INFO\n",
            encoding="utf-8",
        )
        environ = {key: value for key, value in os.environ.items() if not key.startswith("KINOCLUB_")}
        environ["KINOCLUB_TOKEN"] = TOKEN
        environ["PYTHONPATH"] = os.pathsep.join([str(_site_dir(self.tmp_path, self.fake)), str(ROOT)])
        self.child = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", "--config", str(settings),
            cwd=self.tmp_path, env=environ, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
        )
        self.output = Output(self.child.stdout)

    async def exit_code(self) -> int:
        code = await asyncio.wait_for(self.child.wait(), EXIT_WITHIN)
        await asyncio.wait_for(self.output.reader, EXIT_WITHIN)
        return code

    async def kill(self) -> None:
        """Only when a test failed before the bot ended: it must not outlive the test."""
        if self.child is not None and self.child.returncode is None:
            self.child.kill()
            await self.child.wait()
        if self.output is not None:
            self.output.reader.cancel()


@pytest.fixture
async def bot(tmp_path, fake_discord):
    bot = Bot(tmp_path, fake_discord)
    try:
        yield bot
    finally:
        await bot.kill()


def assert_stopped_cleanly(bot: Bot, code: int, name: str) -> None:
    text = bot.output.text
    assert code == 0, text
    assert f"stopping on {name}" in text
    assert f"stopped on {name}; the database is closed" in text
    assert text.index(f"stopping on {name}") < text.index(f"stopped on {name}")
    assert "Traceback" not in text, text
    assert TOKEN not in text
    assert bot.fake.authorizations == {f"Bot {TOKEN}"}
    assert bot.fake.unexpected == []
    # Closed cleanly, SQLite checkpoints the write-ahead log into the file and deletes it and its index.
    assert not Path(f"{bot.database}-wal").exists()
    assert not Path(f"{bot.database}-shm").exists()
    with contextlib.closing(sqlite3.connect(bot.database)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_signal_stops_the_bot_cleanly(bot, signum):
    name = signal.Signals(signum).name
    await bot.start()
    await bot.output.wait_for("online as kinoclub-test", ONLINE_WITHIN)
    assert bot.fake.identified.is_set()
    bot.child.send_signal(signum)
    await bot.output.wait_for(f"stopping on {name}", EXIT_WITHIN)
    # The bot is now waiting on the gateway's answer to its close frame: a second signal lands mid-stop.
    bot.child.send_signal(signum)
    await bot.output.wait_for(f"already stopping ({name} again)", EXIT_WITHIN)
    bot.fake.release_close.set()

    assert_stopped_cleanly(bot, await bot.exit_code(), name)
    # The fake really was the Discord the bot spoke to: the token came in IDENTIFY too.
    assert bot.fake.identify["token"] == TOKEN
    # One connection, never a reconnect; the compressed stream it asks for is optional, text frames are JSON.
    assert [(query["v"], query["encoding"]) for query in bot.fake.gateway_queries] == [("10", "json")]
    # A close handshake, not a dropped connection. discord.py asks for 1000, but aiohttp first breaks the
    # receive loop it closes under, whose handler closes with 4000 (Rapptz/discord.py#6134): Discord then
    # keeps the session resumable and shows the bot online for a minute or so.
    assert bot.fake.close_codes in ([1000], [4000])
    with contextlib.closing(sqlite3.connect(bot.database)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] > 0
        assert db.execute("SELECT count(*) FROM films").fetchone()[0] == 16


async def test_a_signal_while_logging_in_stops_without_connecting(bot):
    bot.fake.hold_login = asyncio.Event()
    await bot.start()
    await asyncio.wait_for(bot.fake.login_seen.wait(), ONLINE_WITHIN)
    bot.child.send_signal(signal.SIGTERM)
    await bot.output.wait_for("stopping on SIGTERM", EXIT_WITHIN)
    bot.fake.hold_login.set()

    assert_stopped_cleanly(bot, await bot.exit_code(), "SIGTERM")
    assert not bot.fake.identified.is_set()
    assert bot.fake.gateway_queries == []
