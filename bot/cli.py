"""`kinoclub` / `python -m bot`: run the bot and look after its database from a shell.

Exit codes: 0 done, 1 the command failed, 2 the configuration (or the token) is missing or wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sqlite3
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from bot import logsafe
from bot.catalogue.bundled import BundleError, load_bundle, read_bundle
from bot.catalogue.reindex import renormalise
from bot.catalogue.search import Catalogue
from bot.config import Config, ConfigError, RedactToken, TokenMissing, load_config, read_token, redact
from bot.store import DatabaseUnusable, MigrationError, Store
from bot.store.backup import BackupError, backup

if TYPE_CHECKING:
    from bot.app import KinoBot

log = logging.getLogger("kinoclub")


class Failed(Exception):
    """A command could not do its work; the message says why."""


def _print_rows(rows: list[tuple[str, str]]) -> None:
    width = max((len(key) for key, _ in rows), default=0)
    for key, value in rows:
        print(f"  {key:<{width}}  {value}")


async def _open_catalogue(config: Config, store: Store) -> None:
    await store.migrate()
    await renormalise(store)
    if config.catalogue.load_on_start:
        await load_bundle(store, read_bundle(config.catalogue.data_dir, config.catalogue.lists))


# ------------------------------------------------------------------ commands


class _Shutdown:
    """SIGTERM (a service manager) or SIGINT (Ctrl+C) closes the bot instead of killing it mid-write."""

    SIGNALS = ("SIGTERM", "SIGINT")

    def __init__(self, bot: KinoBot) -> None:
        self.bot = bot
        self.reason: str | None = None
        self.closing: asyncio.Task[None] | None = None

    def install(self) -> None:
        loop = asyncio.get_running_loop()
        for name in self.SIGNALS:
            try:
                loop.add_signal_handler(getattr(signal, name), self.request, name)
            except (NotImplementedError, AttributeError, RuntimeError):
                # Windows (or a loop off the main thread) has no loop signal handlers: there Ctrl+C
                # stays a KeyboardInterrupt, as before.
                return
        # Left installed until asyncio.run closes the loop (which removes them), so a signal that
        # arrives while the store closes is still answered here rather than killing the process.

    def request(self, name: str) -> None:
        if self.reason is not None:
            log.info("already stopping (%s again); waiting for the work in hand to finish", name)
            return
        self.reason = name
        log.info("stopping on %s", name)
        self.closing = asyncio.create_task(self.bot.close(), name="kinoclub-stop")

    async def finished(self) -> None:
        if self.closing is not None:
            await self.closing


def _start_failure(exc: Exception) -> Exception | None:
    """What to tell the admin when `bot.start` fails; None for an error that is ours to show in full."""
    import aiohttp
    import discord

    # 4004: the gateway's "authentication failed", which Discord can send after REST accepted the login.
    if isinstance(exc, discord.LoginFailure) or (isinstance(exc, discord.ConnectionClosed) and exc.code == 4004):
        return TokenMissing(
            "Discord refused the token. Copy a fresh one from the Bot page of your application "
            "(Reset Token) into KINOCLUB_TOKEN or discord.token_file."
        )
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return Failed(f"Discord refused a privileged intent: {exc}")
    if isinstance(exc, discord.ConnectionClosed):
        return Failed(
            f"Discord closed the connection with code {exc.code} ({exc.reason or 'no reason given'}); "
            "its gateway documentation lists what each code means"
        )
    if isinstance(exc, discord.GatewayNotFound | discord.DiscordServerError):
        return Failed(f"Discord is not answering as it should ({exc}); try again later")
    if isinstance(exc, aiohttp.ClientConnectionError | OSError):
        return Failed(f"cannot reach Discord ({exc}); check this machine's network and try again")
    lost = exc.__context__
    if isinstance(exc, AttributeError) and isinstance(lost, aiohttp.ClientError | OSError | TimeoutError):
        # discord.py cannot retry a gateway it never reached (it reads the missing connection's state)
        # and fails with this AttributeError instead: what the admin needs is the error under it.
        return Failed(f"cannot reach Discord's gateway ({lost}); check this machine's network and try again")
    return None


@asynccontextmanager
async def _open_bot(config: Config) -> AsyncIterator[KinoBot]:
    # The database first: a wrong file is named at once, not after the second and more the bot's code
    # takes to import.
    async with Store.open(config.database.path) as store:
        from bot.app import create_bot

        async with create_bot(config, store) as bot:
            yield bot


async def cmd_run(config: Config, args: argparse.Namespace) -> None:
    token = read_token(config)
    _setup_logging(config, token)
    async with _open_bot(config) as bot:
        shutdown = _Shutdown(bot)
        shutdown.install()
        try:
            await bot.start(token)
        except Exception as exc:
            if shutdown.reason is None:
                failure = _start_failure(exc)
                if failure is None:
                    raise
                raise failure from None
            # A stop while still logging in closes the HTTP session under the login: that is the stop.
            log.debug("the login ended by the stop: %r", exc)
        finally:
            # KinoBot.close() lets in-flight work finish; the store must outlive it.
            await shutdown.finished()
    if shutdown.reason is not None:
        log.info("stopped on %s; the database is closed", shutdown.reason)
    else:
        log.info("stopped: the connection to Discord ended")


async def cmd_sync(config: Config, args: argparse.Namespace) -> None:
    """Publish the slash commands to every server (Discord caps how often: run it after upgrades)."""
    token = read_token(config)
    _setup_logging(config, token)
    async with _open_bot(config) as bot:
        try:
            await bot.login(token)
        except Exception as exc:
            failure = _start_failure(exc)
            if failure is None:
                raise
            raise failure from None
        synced = await bot.tree.sync()
        print(f"synced {len(synced)} commands globally; Discord may take up to an hour to show them")


async def cmd_config_check(config: Config, args: argparse.Namespace) -> None:
    print("configuration is valid")
    rows = [
        ("database.path", str(config.database.path)),
        ("discord.dev_guild_id", str(config.discord.dev_guild_id or "(none: use `kinoclub sync`)")),
        ("club.timezone", config.club.timezone),
        ("club.moderator_roles", ", ".join(config.club.moderator_roles)),
        ("catalogue.lists", ", ".join(config.catalogue.lists)),
        ("weekly", f"opens {config.weekly.opens}, closes {config.weekly.closes}"),
    ]
    _print_rows([(key, redact(value)) for key, value in rows])
    try:
        read_token(config)
        print("  token                 found (not shown)")
    except TokenMissing as exc:
        print(f"  token                 missing: {exc}")


async def cmd_db_migrate(config: Config, args: argparse.Namespace) -> None:
    async with Store.open(config.database.path) as store:
        applied = await store.migrate()
        await renormalise(store)
        version = await store.schema_version()
    print(f"{config.database.path}: " + (f"applied {', '.join(applied)}" if applied else "already up to date"))
    print(f"schema version {version}")


async def cmd_db_backup(config: Config, args: argparse.Namespace) -> None:
    source = config.database.path
    try:
        counts = await asyncio.to_thread(backup, source, args.path, force=args.force)
    except BackupError as exc:
        raise Failed(str(exc)) from None
    print(f"backed up {source} to {args.path}")
    _print_rows([(table, str(count)) for table, count in counts.items()])


async def cmd_db_check(config: Config, args: argparse.Namespace) -> None:
    if not config.database.path.exists():
        raise Failed(f"{config.database.path}: no database there")
    async with Store.open(config.database.path) as store:
        try:
            problems = await store.check()
            counts = await store.counts()
            version = await store.schema_version()
        except sqlite3.DatabaseError as exc:
            # Damage deep enough stops SQLite's own check half-way: that is the verdict too.
            raise Failed(f"{config.database.path} is damaged (SQLite: {exc}); restore it from a backup") from None
    print(f"{config.database.path}: schema version {version}")
    _print_rows([(table, str(count)) for table, count in counts.items()])
    if problems:
        raise Failed("the database has problems:\n" + "\n".join(f"  {problem}" for problem in problems))
    print("integrity: ok")


async def cmd_import_lists(config: Config, args: argparse.Namespace) -> None:
    bundle = read_bundle(args.data or config.catalogue.data_dir, config.catalogue.lists)
    async with Store.open(config.database.path) as store:
        await store.migrate()
        await renormalise(store)
        report = await load_bundle(store, bundle)
    print(report)


async def cmd_import_imdb(config: Config, args: argparse.Namespace) -> None:
    from bot.catalogue.imdb import ImdbFileError, for_stream, import_imdb

    types = [kind.strip() for kind in args.types.split(",") if kind.strip()]
    if not types:
        raise Failed("--types: give at least one IMDb title type, such as movie,tvMovie")
    async with Store.open(config.database.path) as store:
        # The bundled films first, so that those IMDb also lists are merged with, not added again.
        await _open_catalogue(config, store)
        try:
            report = await import_imdb(store, args.folder, types=types, progress=for_stream(sys.stderr))
        except ImdbFileError as exc:
            raise Failed(f"{exc}; nothing was imported") from None
        except asyncio.CancelledError:
            print(
                "kinoclub: interrupted; the catalogue is as it was. Run the same command again to resume.",
                file=sys.stderr,
            )
            raise
    print("\n".join(report.summary()))


async def cmd_search(config: Config, args: argparse.Namespace) -> None:
    query = " ".join(args.query)
    async with Store.open(config.database.path) as store:
        await _open_catalogue(config, store)
        hits = await Catalogue(store).search(query, limit=args.limit)
    if not hits:
        raise Failed(f"no film matches {query!r}")
    for hit in hits:
        film = hit.film
        print(
            f"{film.title} ({film.year or '?'}) — {', '.join(film.directors) or 'director unknown'}"
            f"  [{film.key}, {hit.match.name.lower().replace('_', ' ')}]"
        )


async def cmd_playground(config: Config, args: argparse.Namespace) -> None:
    """The real bot in a simulated Discord server: a prompt, a script, or a browser page."""
    from importlib.util import find_spec

    if find_spec("simcord") is None or find_spec("rich") is None:
        print(
            "kinoclub: the playground needs SimCord and rich: pip install -e '.[playground]' (or: make playground)",
            file=sys.stderr,
        )
        raise SystemExit(2)
    from bot import playground

    await playground.run(config, args)


# --------------------------------------------------------------------- parser

Command = Callable[[Config, argparse.Namespace], Awaitable[None]]


def build_parser() -> argparse.ArgumentParser:
    config_help = "settings file (default: ./config.yaml if it exists, else built-in defaults)"
    parser = argparse.ArgumentParser(prog="kinoclub", description="A self-hosted Discord bot for film clubs.")
    parser.add_argument("--config", type=Path, metavar="PATH", help=config_help)
    # Subcommands take --config too; SUPPRESS keeps their absent option from erasing one given before.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, metavar="PATH", default=argparse.SUPPRESS, help=config_help)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(parent, name: str, handler: Command, help: str) -> argparse.ArgumentParser:
        sub = parent.add_parser(name, help=help, description=help, parents=[common])
        sub.set_defaults(handler=handler)
        return sub

    add(commands, "run", cmd_run, "connect to Discord and serve the club")
    add(commands, "sync", cmd_sync, "publish the slash commands to every server (an owner action)")
    config = commands.add_parser("config", help="check the settings", parents=[common])
    config_commands = config.add_subparsers(dest="action", required=True, metavar="ACTION")
    add(config_commands, "check", cmd_config_check, "validate the settings and show what is in force")
    db = commands.add_parser("db", help="look after the database", parents=[common])
    db_commands = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    add(db_commands, "migrate", cmd_db_migrate, "bring the database schema up to date")
    backup_parser = add(db_commands, "backup", cmd_db_backup, "copy the database safely, even while the bot runs")
    backup_parser.add_argument("path", type=Path, help="where to write the copy")
    backup_parser.add_argument("--force", action="store_true", help="replace PATH even if it is a SQLite database")
    add(db_commands, "check", cmd_db_check, "check the database's integrity and count its rows")
    imports = commands.add_parser("import", help="load data", parents=[common])
    import_commands = imports.add_subparsers(dest="action", required=True, metavar="WHAT")
    lists = add(import_commands, "lists", cmd_import_lists, "load the bundled films and curated lists")
    lists.add_argument("--data", type=Path, metavar="DIR", help="a data folder other than the bundled one")
    imdb = add(import_commands, "imdb", cmd_import_imdb, "load IMDb's dataset files (title.basics.tsv.gz, …)")
    imdb.add_argument("folder", type=Path, metavar="DIR", help="the folder holding the downloaded .tsv.gz files")
    imdb.add_argument(
        "--types",
        default="movie,tvMovie",
        metavar="LIST",
        help="IMDb title types to import, comma-separated (default: movie,tvMovie)",
    )
    playground = add(commands, "playground", cmd_playground, "try the bot in a simulated Discord server")
    playground.add_argument("--db", type=Path, metavar="PATH", help="keep the database in PATH (default: thrown away)")
    playground.add_argument("--script", type=Path, metavar="FILE", help="run FILE's lines and print the transcript")
    playground.add_argument("--web", action="store_true", help="serve the channel in a browser on 127.0.0.1")
    playground.add_argument("--out", type=Path, metavar="DIR", help="save images and files in DIR (default: temp)")
    search = add(commands, "search", cmd_search, "search the catalogue as autocomplete does")
    search.add_argument("query", nargs="+", help="title words, in any language or spelling")
    search.add_argument("--limit", type=int, default=10, choices=range(1, 26), metavar="N", help="1 to 25")
    return parser


def _setup_logging(config: Config, token: str | None = None) -> None:
    import discord.utils

    discord.utils.setup_logging(level=getattr(logging, config.logging.level.upper()), root=True)
    logsafe.install()
    if token:
        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactToken(token))


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        print("kinoclub: the configuration is not valid:", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    if args.handler is not cmd_run and args.handler is not cmd_sync:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(args.handler(config, args))
    except TokenMissing as exc:
        print(f"kinoclub: {exc}", file=sys.stderr)
        return 2
    except (Failed, BundleError, MigrationError, DatabaseUnusable) as exc:
        print(f"kinoclub: {exc}", file=sys.stderr)
        return 1
    except sqlite3.Error as exc:
        print(
            f"kinoclub: {config.database.path}: the database failed (SQLite: {exc}); "
            "`kinoclub db check` tells whether it is damaged",
            file=sys.stderr,
        )
        return 1
    except OSError as exc:
        # The machine, not kinoclub: a full disk, a missing permission, a file gone meanwhile.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"kinoclub: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return 0
