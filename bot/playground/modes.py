"""The playground's three ways in: a terminal prompt, a script's transcript, a browser page."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

from rich.console import Console
from rich.text import Text

from bot.config import Config
from bot.playground.render import Renderer, stamp
from bot.playground.session import FIRST_PERSON, Session
from bot.playground.world import CHANNEL, GUILD_NAME, MODERATOR, PEOPLE, World, open_world

TRANSCRIPT_WIDTH = 100


def make_console(interactive: bool) -> Console:
    """Colour for a person at a terminal; plain, fixed-width text for a transcript in a file or a pipe."""
    if interactive or sys.stdout.isatty():
        return Console(highlight=False)
    return Console(highlight=False, no_color=True, force_terminal=False, width=TRANSCRIPT_WIDTH, emoji=False)


async def run(config: Config, args: argparse.Namespace) -> None:
    """The `kinoclub playground` command."""
    from bot.cli import Failed

    script: list[str] | None = None
    if args.script is not None:
        try:
            script = Path(args.script).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise Failed(f"cannot read the script {args.script}: {error}") from None
    console = make_console(interactive=script is None and not args.web)
    stop = asyncio.Event()
    with _stop_on_interrupt(stop):
        async with open_world(config, args.db) as world:
            session = Session(world, console, Renderer(console, world, args.out))
            _banner(console, world, args.db, web=args.web)
            await session.setup_weekly()
            if script is not None:
                await run_script(session, script, stop)
            if args.web:
                await serve_web(world, console, stop)
            elif script is None:
                await run_terminal(session, stop)


def _banner(console: Console, world: World, db: Path | None, *, web: bool) -> None:
    people = ", ".join(f"{name} ({world.moderator_role.name})" if name == MODERATOR else name for name in PEOPLE)
    console.print(Text("kinoclub playground: the real bot in a simulated Discord server", style="bold"))
    console.print(f'Server "{GUILD_NAME}", channel #{CHANNEL}; people: {people}.', markup=False)
    where = f"{db} (kept)" if db else "a temporary file, gone when you leave (--db PATH keeps it)"
    console.print(f"Database: {where}. It is {stamp(world.env.now())}.", markup=False)
    if not web:
        console.print(f"You are {FIRST_PERSON}. Type help for what you can type, quit to leave.", markup=False)
    console.print()


async def run_script(session: Session, lines: Iterable[str], stop: asyncio.Event | None = None) -> None:
    """Each non-blank, non-comment line, echoed after its prompt, then what came of it."""
    for line in lines:
        if stop is not None and stop.is_set():
            break
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        session.console.print(Text(f"{session.prompt}{line}", style="bold"))
        going_on = await session.run_line(line)
        session.console.print()
        if not going_on:
            break


async def run_terminal(session: Session, stop: asyncio.Event) -> None:
    with contextlib.suppress(ImportError):
        import readline  # noqa: F401 - line editing and history for input()
    while not stop.is_set():
        line = await _read_line(session.prompt, stop)
        if line is None or not await session.run_line(line):
            break
        session.console.print()
    session.console.print("\nBye." if stop.is_set() else "Bye.")


async def _read_line(prompt: str, stop: asyncio.Event) -> str | None:
    """input() in a daemon thread (so Ctrl-C or the end never waits for a blocked read); None: leave."""
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[str | None] = loop.create_future()

    def deliver(text: str | None) -> None:
        if not answer.done():
            answer.set_result(text)

    def read() -> None:
        try:
            text: str | None = input(prompt)
        except (EOFError, KeyboardInterrupt):
            text = None
        loop.call_soon_threadsafe(deliver, text)

    threading.Thread(target=read, name="playground-input", daemon=True).start()
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({answer, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
    return answer.result() if answer.done() else None


async def serve_web(world: World, console: Console, stop: asyncio.Event) -> None:
    """SimCord's browser preview of #film-club on loopback, until `stop` (Ctrl-C) or the page ends it."""
    from simcord.backend.errors import SetupError

    from bot.cli import Failed

    viewers = [world.people[FIRST_PERSON], *(p for n, p in world.people.items() if n != FIRST_PERSON)]
    try:
        preview = world.env.preview(world.channel, viewers=viewers, layout="channel")
        async with preview:
            console.print(f"Open {preview.url}", markup=False, soft_wrap=True)
            console.print("(only this machine can reach it; the address is the key: keep it to yourself). "
                          "Ctrl-C to stop.", markup=False)
            sys.stdout.flush()
            ending = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(preview.wait_closed())]
            try:
                await asyncio.wait(ending, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in ending:
                    task.cancel()
    except SetupError as error:
        raise Failed(f"the browser preview cannot start: {error}") from None
    console.print("Stopped.")


@contextlib.contextmanager
def _stop_on_interrupt(stop: asyncio.Event):
    """Ctrl-C (and SIGTERM) end the session cleanly: the bot shuts down and the clock is given back."""
    loop = asyncio.get_running_loop()
    installed = []
    for number in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(number, stop.set)
            installed.append(number)
        except (NotImplementedError, RuntimeError, ValueError):  # not on this platform or thread
            pass
    try:
        yield
    finally:
        for number in installed:
            loop.remove_signal_handler(number)
