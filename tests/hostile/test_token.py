"""The token, mishandled by an operator or refused by Discord: a sentence, an exit code, and the token never printed.

`kinoclub run` runs as a child process; Discord is the fake on 127.0.0.1 from tests/test_run_process.py,
told to refuse the token, or not there at all.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from aiohttp import WSMsgType, web

from tests.test_run_process import EXIT_WITHIN, ONLINE_WITHIN, FakeDiscord, Output, site_dir

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes and signals are POSIX")

ROOT = Path(__file__).resolve().parents[2]
# Discord's shape: base64 id, timestamp, HMAC. Its three parts are checked for separately.
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GhK3mZ.abcdefghijklmnopqrstuvwxyz0123456789AB"
PARTS = TOKEN.split(".")


def assert_never_printed(output: str) -> None:
    assert "Traceback" not in output, output
    for part in (TOKEN, PARTS[0], PARTS[2]):
        assert part not in output, output


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens: a connection there is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environ_for(tmp_path: Path, rest: str, gateway: str, token: str | None = TOKEN) -> dict[str, str]:
    site = site_dir(tmp_path, rest, gateway)
    environ = {key: value for key, value in os.environ.items() if not key.startswith("KINOCLUB_")}
    if token is not None:
        environ["KINOCLUB_TOKEN"] = token
    environ["PYTHONPATH"] = os.pathsep.join([str(site), str(ROOT)])
    return environ


def write_settings(tmp_path: Path, extra: str = "") -> Path:
    settings = tmp_path / "config.yaml"
    settings.write_text(
        f"database:\n  path: {tmp_path / 'club.db'}\ncatalogue:\n  load_on_start: false\n{extra}", encoding="utf-8"
    )
    return settings


async def run(tmp_path: Path, environ: dict[str, str]) -> tuple[asyncio.subprocess.Process, Output]:
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(write_settings(tmp_path)),
        cwd=tmp_path, env=environ, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    return child, Output(child.stdout)


async def finished(child: asyncio.subprocess.Process, output: Output) -> int:
    try:
        code = await asyncio.wait_for(child.wait(), EXIT_WITHIN + ONLINE_WITHIN)
    except TimeoutError:
        child.kill()
        await child.wait()
        raise AssertionError(f"the bot did not stop:\n{output.text}") from None
    await asyncio.wait_for(output.reader, EXIT_WITHIN)
    return code


async def hello_then(request: web.Request, on_identify) -> web.WebSocketResponse:
    """A gateway that says HELLO, then does `on_identify(ws)` when the bot IDENTIFYs."""
    ws = web.WebSocketResponse()
    await ws.prepare(request)
    await ws.send_str(json.dumps({"op": 10, "d": {"heartbeat_interval": 41_250}, "s": None, "t": None}))
    async for message in ws:
        if message.type is WSMsgType.TEXT and json.loads(message.data)["op"] == 2:
            await on_identify(ws)
    return ws


class RefusingDiscord(FakeDiscord):
    """REST accepts the login; the gateway then closes with `code` after IDENTIFY, as Discord does."""

    def __init__(self, code: int) -> None:
        super().__init__()
        self.code = code

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        async def refuse(ws: web.WebSocketResponse) -> None:
            self.identified.set()
            await ws.close(code=self.code, message=b"refused by the test")

        return await hello_then(request, refuse)


class UnauthorisedDiscord(FakeDiscord):
    async def me(self, request: web.Request) -> web.Response:
        self._seen(request)
        return web.Response(
            body=b'{"message": "401: Unauthorized", "code": 0}', status=401, content_type="application/json"
        )


async def started(fake: FakeDiscord):
    await fake.start()
    return fake


@pytest.mark.parametrize(
    ("fake", "code", "needle"),
    [
        (lambda: UnauthorisedDiscord(), 2, "Discord refused the token"),
        (lambda: RefusingDiscord(4004), 2, "Discord refused the token"),
        (lambda: RefusingDiscord(4014), 1, "privileged intent"),
        (lambda: RefusingDiscord(4013), 1, "code 4013"),
    ],
    ids=["rest-401", "gateway-4004", "gateway-4014", "gateway-4013"],
)
async def test_discord_refusing_the_login_is_a_sentence(tmp_path, fake, code, needle):
    fake = await started(fake())
    try:
        child, output = await run(tmp_path, environ_for(tmp_path, fake.url, f"ws://127.0.0.1:{fake.port}/gateway/"))
        assert await finished(child, output) == code, output.text
    finally:
        await fake.stop()
    assert needle in output.text, output.text
    assert_never_printed(output.text)
    assert fake.authorizations == {f"Bot {TOKEN}"}


async def test_discord_unreachable_at_login_is_a_sentence(tmp_path):
    port = closed_port()
    child, output = await run(tmp_path, environ_for(tmp_path, f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/"))
    assert await finished(child, output) == 1, output.text
    assert "cannot reach Discord" in output.text, output.text
    assert_never_printed(output.text)


async def test_the_gateway_unreachable_after_login_is_a_sentence(tmp_path):
    fake = await started(FakeDiscord())
    try:
        environ = environ_for(tmp_path, fake.url, f"ws://127.0.0.1:{closed_port()}/gateway/")
        child, output = await run(tmp_path, environ)
        assert await finished(child, output) == 1, output.text
    finally:
        await fake.stop()
    assert "cannot reach Discord's gateway" in output.text, output.text
    assert_never_printed(output.text)
    assert fake.authorizations == {f"Bot {TOKEN}"}


class LostAfterReady(FakeDiscord):
    """Online, then the gateway drops the bot and is not there when it comes back to resume."""

    def __init__(self) -> None:
        super().__init__()
        self.resume_port = closed_port()

    def _ready(self) -> dict:
        return {**super()._ready(), "resume_gateway_url": f"ws://127.0.0.1:{self.resume_port}/gateway/"}

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        async def ready_then_drop(ws: web.WebSocketResponse) -> None:
            await ws.send_str(json.dumps({"op": 0, "s": 1, "t": "READY", "d": self._ready()}))
            self.identified.set()
            await ws.close(code=4000, message=b"dropped by the test")

        return await hello_then(request, ready_then_drop)


async def test_a_gateway_lost_while_online_is_retried_in_one_line_a_try_and_a_stop_still_works(tmp_path):
    fake = await started(LostAfterReady())
    child = None
    try:
        child, output = await run(tmp_path, environ_for(tmp_path, fake.url, f"ws://127.0.0.1:{fake.port}/gateway/"))
        await output.wait_for("online as kinoclub-test", ONLINE_WITHIN)
        await output.wait_for("lost the connection to Discord", ONLINE_WITHIN)
        child.send_signal(signal.SIGTERM)
        assert await finished(child, output) == 0, output.text
    finally:
        if child is not None and child.returncode is None:
            child.kill()
            await child.wait()
        await fake.stop()
    assert "stopped on SIGTERM; the database is closed" in output.text
    assert_never_printed(output.text)


# --------------------------------------------------------------- token files


def kinoclub(tmp_path: Path, *argv: str, extra: str = "", token: str | None = None) -> subprocess.CompletedProcess:
    environ = environ_for(tmp_path, "http://127.0.0.1:9", "ws://127.0.0.1:9/", token=token)
    settings = write_settings(tmp_path, extra)
    return subprocess.run(
        [sys.executable, "-m", "bot", *argv, "--config", str(settings)],
        cwd=tmp_path, env=environ, capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL, check=False,
    )  # fmt: skip


def token_file(tmp_path: Path, content: bytes, mode: int = 0o600) -> Path:
    path = tmp_path / "token"
    path.write_bytes(content)
    path.chmod(mode)
    return path


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (f"{TOKEN}\n# the bot of the film club\n".encode(), "more than one line"),
        (f"{TOKEN}\n{TOKEN}\n".encode(), "more than one line"),
        (f"Bot {TOKEN}".encode(), "does not hold a token"),
        (b"A" * 10_000_000, "larger than a token"),
        (b"\xff\xfe" + TOKEN.encode("utf-16-le"), "not text"),
    ],
    ids=["comment-line", "twice", "with-a-space", "ten-megabytes", "utf-16"],
)
def test_a_token_file_that_holds_more_than_the_token_is_refused(tmp_path, content, needle):
    path = token_file(tmp_path, content)
    done = kinoclub(tmp_path, "run", extra=f"discord:\n  token_file: {path}\n")
    assert done.returncode == 2, done.stderr
    assert needle in done.stderr, done.stderr
    assert_never_printed(done.stdout + done.stderr)
    assert not (tmp_path / "club.db").exists()  # refused before anything started


def test_a_device_as_token_file_is_refused_at_once(tmp_path):
    done = kinoclub(tmp_path, "run", extra="discord:\n  token_file: /dev/zero\n")
    assert done.returncode == 2, done.stderr
    assert "not a plain file" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_multi_line_token_in_the_environment_is_refused(tmp_path):
    done = kinoclub(tmp_path, "run", token=f"{TOKEN}\nsecond line")
    assert done.returncode == 2, done.stderr
    assert "KINOCLUB_TOKEN holds more than one line" in done.stderr
    assert_never_printed(done.stdout + done.stderr)


def test_a_token_file_readable_by_everyone_is_warned_about_loudly(tmp_path):
    path = token_file(tmp_path, f"{TOKEN}\n".encode(), mode=0o644)
    done = kinoclub(tmp_path, "config", "check", extra=f"discord:\n  token_file: {path}\n")
    assert done.returncode == 0, done.stderr
    assert "can be read by other users of this machine (mode 644)" in done.stderr
    assert f"chmod 600 {path}" in done.stderr
    assert "token                 found (not shown)" in done.stdout
    assert_never_printed(done.stdout + done.stderr)


@pytest.mark.parametrize(
    "extra",
    [
        f"discord:\n  dev_guild_id: {TOKEN}\n",
        f"club:\n  timezone: {TOKEN}\n",
        f"discord:\n  token_file: {TOKEN}\n",
        f"club:\n  moderator_roles: [Moderator, {TOKEN}]\n",
        f"database:\n  path: {TOKEN}\n",
        f"club:\n  timezone: {PARTS[0]}\n",  # part of a token is still not to be printed
        f"club:\n  {TOKEN}: 1\n",  # pasted as a key
        f"{TOKEN}: 1\n",
    ],
    ids=["dev_guild_id", "timezone", "token_file", "moderator_roles", "database.path", "part", "as-key", "as-section"],
)
@pytest.mark.parametrize("argv", [("run",), ("config", "check")], ids=["run", "config check"])
def test_a_token_pasted_into_another_key_is_never_printed_back(tmp_path, extra, argv):
    done = kinoclub(tmp_path, *argv, extra=extra)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "the configuration is not valid" in done.stderr
    assert "the value looks like a token and was not printed" in done.stderr
    assert_never_printed(done.stdout + done.stderr)
