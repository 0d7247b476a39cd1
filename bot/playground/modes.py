"""The playground's three ways in: a terminal prompt, a script's transcript, a browser page."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
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
# What the browser page opens on: a film's card and this week's ballot in #film-club, not an empty channel.
WEB_START = ("/film show title:cranes", "as mod", "/week open", f"as {FIRST_PERSON}")


def make_console(interactive: bool) -> Console:
    """Colour for a person at a terminal; plain, fixed-width text for a transcript in a file or a pipe."""
    if interactive or sys.stdout.isatty():
        return Console(highlight=False)
    return Console(highlight=False, no_color=True, force_terminal=False, width=TRANSCRIPT_WIDTH, emoji=False)


async def run(config: Config, args: argparse.Namespace) -> None:
    """The `kinoclub playground` command."""
    from bot.cli import TOUR, TOUR_RU, Failed

    locale = getattr(args, "locale", "en")
    script: list[str] | None = None
    if args.script is not None:
        path = TOUR_RU if locale == "ru" and args.script == TOUR else Path(args.script)
        try:
            script = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise Failed(f"cannot read the script {args.script}: {error}") from None
    console = make_console(interactive=script is None and not args.web)
    stop = asyncio.Event()
    renderer: Renderer | None = None
    try:
        with _stop_on_interrupt(stop):
            async with open_world(config, args.db, "ru" if locale == "ru" else "en-US") as world:
                renderer = Renderer(console, world, args.out)
                session = Session(world, console, renderer)
                _banner(console, world, args, web=args.web)
                await session.setup_weekly()
                if script is not None:
                    await run_script(session, script, stop)
                if args.web:
                    if script is None:
                        await run_script(session, WEB_START, stop)
                    await serve_web(session, stop)
                elif script is None:
                    await run_terminal(session, stop)
    finally:
        if renderer is not None:
            renderer.close()


def _banner(console: Console, world: World, args: argparse.Namespace, *, web: bool) -> None:
    people = ", ".join(f"{name} ({world.moderator_role.name})" if name == MODERATOR else name for name in PEOPLE)
    console.print(Text("kinoclub playground: the real bot in a simulated Discord server", style="bold"))
    console.print(f'Server "{GUILD_NAME}", channel #{CHANNEL}; people: {people}.', markup=False)
    where = f"{args.db} (kept)" if args.db else "a temporary file, gone when you leave (--db PATH keeps it)"
    files = f"{args.out} (kept)" if args.out else "a temporary folder, gone when you leave (--out DIR keeps them)"
    console.print(f"Database: {where}. Files the bot sends: {files}.", markup=False)
    console.print(f"It is {stamp(world.env.now())}.", markup=False)
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
    if not sys.stdin.isatty():  # lines piped in: no line editing to offer, and no thread to leave blocked
        reading = asyncio.ensure_future(_stdin_lines(session, stop))
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (reading, stopping):
                task.cancel()
            await asyncio.gather(reading, stopping, return_exceptions=True)
    else:
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


async def serve_web(session: Session, stop: asyncio.Event) -> None:
    """SimCord's browser preview of #film-club on loopback, until `stop` (Ctrl-C, `quit`) or the page ends it.

    The terminal keeps taking the prompt's lines meanwhile: both drive the same server.
    """
    from simcord.backend.errors import SetupError

    from bot.cli import Failed

    world, console = session.world, session.console
    viewers = [world.people[FIRST_PERSON], *(p for n, p in world.people.items() if n != FIRST_PERSON)]
    try:
        preview = world.env.preview(world.channel, viewers=viewers, layout="channel")
        async with preview:
            console.print(f"Open {preview.url}", markup=False, soft_wrap=True)
            console.print("(only this machine can reach it; the address is the key: keep it to yourself). "
                          "Type in the page's message box, or here: the same lines as the prompt "
                          "(help lists them). quit or Ctrl-C to stop.", markup=False)
            sys.stdout.flush()
            typing = asyncio.ensure_future(_stdin_lines(session, stop))
            typing.add_done_callback(lambda task: task.cancelled() or not task.result() or stop.set())
            ending = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(preview.wait_closed())]
            try:
                await asyncio.wait(ending, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in (*ending, typing):
                    task.cancel()
                await asyncio.gather(typing, return_exceptions=True)
    except SetupError as error:
        raise Failed(f"the browser preview cannot start: {error}") from None
    console.print("Stopped.")


async def _stdin_lines(session: Session, stop: asyncio.Event) -> bool:
    """Run the lines read from stdin until the end of input (False) or `quit` (True).

    Read by the event loop, not by input() in a thread: a thread still blocked on a pipe when the
    session stops would make the interpreter abort at exit.
    """
    loop = asyncio.get_running_loop()
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    pending = bytearray()
    try:
        fd = sys.stdin.fileno()
    except (AttributeError, OSError, ValueError):  # no stdin at all
        return False

    def readable() -> None:
        chunk = os.read(fd, 4096)
        if not chunk:
            loop.remove_reader(fd)
            lines.put_nowait(None)
            return
        pending.extend(chunk)
        while b"\n" in pending:
            line, _, rest = bytes(pending).partition(b"\n")
            pending[:] = rest
            lines.put_nowait(line.decode("utf-8", "replace"))

    try:
        loop.add_reader(fd, readable)
    except (OSError, NotImplementedError, ValueError):  # a regular file or /dev/null: read at once, never blocks
        for line in sys.stdin.read().splitlines():
            lines.put_nowait(line)
        lines.put_nowait(None)
        fd = -1
    try:
        while not stop.is_set():
            session.console.print(session.prompt, end="", markup=False)
            sys.stdout.flush()
            line = await lines.get()
            if line is None:
                return False
            if not await session.run_line(line):
                return True
            session.console.print()
        return False
    finally:
        if fd >= 0:
            loop.remove_reader(fd)


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
