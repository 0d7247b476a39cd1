"""`kinoclub` / `python -m bot`: run the bot and look after its database from a shell.

Exit codes: 0 done, 1 the command failed, 2 the configuration (or the token) is missing or wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import os
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
from bot.config import TOKEN_ENV, Config, ConfigError, Loaded, RedactToken, TokenMissing, load_settings
from bot.connecting import Shutdown, start_failure
from bot.preflight import preflight, settings_in_force
from bot.store import DatabaseUnusable, MigrationError, Store
from bot.store.backup import BackupError, backup, target_in

if TYPE_CHECKING:
    from bot.app import KinoBot

log = logging.getLogger("kinoclub")
# Shipped inside the package so `kinoclub playground --script` works from any install.
TOUR = Path(__file__).resolve().parent / "playground" / "tour.playground"
TOUR_RU = TOUR.with_name("tour.ru.playground")


class Failed(Exception):
    """A command could not do its work; the message says why."""


class NotReady(Exception):
    """What `run` would stumble on before it connects; one problem a line, each naming its key."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _ready_token(config: Config) -> str:
    """The checks `run` makes before it connects, shared with `config check`; the token when all pass."""
    readiness = preflight(config)
    # The database's own problems are the store's to tell, as for every other command: exit 1, one
    # sentence naming the file. `config check` lists them with the rest.
    problems = [problem for problem in readiness.problems if not problem.startswith("database.path:")]
    if problems or readiness.token is None:
        raise NotReady(problems)
    return readiness.token


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


def _raise_start_failure(exc: Exception) -> None:
    failure = start_failure(exc)
    if failure is None:
        raise exc
    raise (Failed(failure) if isinstance(failure, str) else failure) from None


@asynccontextmanager
async def _open_bot(config: Config) -> AsyncIterator[KinoBot]:
    # The database first: a wrong file is named at once, not after the second and more the bot's code
    # takes to import.
    async with Store.open(config.database.path) as store:
        from bot.app import create_bot

        async with create_bot(config, store) as bot:
            yield bot


async def cmd_run(config: Config, args: argparse.Namespace) -> None:
    token = _ready_token(config)
    _setup_logging(config, token)
    async with _open_bot(config) as bot:
        shutdown = Shutdown(bot)
        shutdown.install()
        try:
            await bot.start(token)
        except Exception as exc:
            if shutdown.reason is None:
                _raise_start_failure(exc)
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
    import discord

    token = _ready_token(config)
    _setup_logging(config, token)
    dev_guild = config.discord.dev_guild_id
    # Without the dev server the bot's start-up copies nothing there, only for this command to clear it.
    quiet = dataclasses.replace(config, discord=dataclasses.replace(config.discord, dev_guild_id=None))
    async with _open_bot(quiet) as bot:
        try:
            await bot.login(token)
        except Exception as exc:
            _raise_start_failure(exc)
        synced = await bot.tree.sync()
        print(f"synced {len(synced)} commands globally; Discord may take up to an hour to show them")
        if dev_guild is not None:
            # The dev server's own copies would show every command there twice beside the global ones.
            guild = discord.Object(id=dev_guild)
            bot.tree.clear_commands(guild=guild)
            await bot.tree.sync(guild=guild)
            print(f"cleared the dev server's copies (discord.dev_guild_id {dev_guild}), so each command shows once")


async def cmd_config_check(config: Config, args: argparse.Namespace) -> None:
    loaded: Loaded = args.loaded
    print(f"settings file: {loaded.file or 'none (no ./config.yaml): built-in defaults'}")
    rows = settings_in_force(loaded)
    width = max(len(key) for key, _, _ in rows)
    value_width = min(max(len(value) for _, value, _ in rows), 40)
    for key, value, where in rows:
        print(f"  {key:<{width}}  {value:<{value_width}}  ({where})")
    readiness = preflight(config)
    token_problem = any(problem.startswith("token:") for problem in readiness.problems)
    if not token_problem:
        where = f"environment: {TOKEN_ENV}" if os.environ.get(TOKEN_ENV, "").strip() else "discord.token_file"
        print(f"  token                 found (not shown)  ({where})")
    if readiness.problems:
        raise NotReady(readiness.problems)
    print("configuration is valid: `kinoclub run` has what it needs to connect")


async def cmd_db_migrate(config: Config, args: argparse.Namespace) -> None:
    async with Store.open(config.database.path) as store:
        applied = await store.migrate()
        await renormalise(store)
        version = await store.schema_version()
    print(f"{config.database.path}: " + (f"applied {', '.join(applied)}" if applied else "already up to date"))
    print(f"schema version {version}")


async def cmd_db_backup(config: Config, args: argparse.Namespace) -> None:
    source = config.database.path
    target = target_in(source, args.path)
    try:
        counts = await asyncio.to_thread(backup, source, target, force=args.force)
    except BackupError as exc:
        raise Failed(str(exc)) from None
    print(f"backed up {source} to {target}")
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
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
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
    add(config_commands, "check", cmd_config_check, "check what `run` needs and show every setting in force")
    db = commands.add_parser("db", help="look after the database", parents=[common])
    db_commands = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    add(db_commands, "migrate", cmd_db_migrate, "bring the database schema up to date")
    backup_parser = add(db_commands, "backup", cmd_db_backup, "copy the database safely, even while the bot runs")
    backup_parser.add_argument("path", type=Path, help="where to write the copy (a folder: a dated file in it)")
    backup_parser.add_argument("--force", action="store_true", help="replace PATH if it already exists")
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
    playground.add_argument(
        "--script",
        type=Path,
        nargs="?",
        const=TOUR,
        metavar="FILE",
        help="run FILE's lines and print the transcript (no FILE: the built-in tour)",
    )
    playground.add_argument("--web", action="store_true", help="serve the channel in a browser on 127.0.0.1")
    playground.add_argument(
        "--locale",
        choices=["en", "ru"],
        default="en",
        help="the server's and the members' language (ru: a Russian club; --script alone then runs its tour)",
    )
    playground.add_argument("--out", type=Path, metavar="DIR", help="save images and files in DIR (default: temp)")
    search = add(commands, "search", cmd_search, "search the catalogue as autocomplete does")
    search.add_argument("query", nargs="+", help="title words, in any language or spelling")
    search.add_argument("--limit", type=_limit, default=10, metavar="N", help="1 to 25")
    return parser


def _limit(text: str) -> int:
    # argparse's own refusal of a `choices` range lists all 25 numbers.
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= 25:
        raise argparse.ArgumentTypeError(f"expected a number from 1 to 25, got {text!r}")
    return number


def _setup_logging(config: Config, token: str | None = None) -> None:
    import discord.utils

    discord.utils.setup_logging(level=getattr(logging, config.logging.level.upper()), root=True)
    logsafe.install()
    if token:
        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactToken(token))


def version() -> str:
    """The installed package's version; in a checkout that was never installed, pyproject.toml's."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("kinoclub")
    except PackageNotFoundError:
        import tomllib

        try:
            with (Path(__file__).resolve().parent.parent / "pyproject.toml").open("rb") as file:
                return tomllib.load(file)["project"]["version"]
        except (OSError, KeyError, tomllib.TOMLDecodeError):
            return "unknown"


def _print_problems(heading: str, problems: list[str]) -> None:
    print(f"kinoclub: {heading}:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        loaded = load_settings(args.config)
    except ConfigError as exc:
        _print_problems("the configuration is not valid", exc.problems)
        return 2
    config = loaded.config
    args.loaded = loaded
    if args.handler is not cmd_run and args.handler is not cmd_sync:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        asyncio.run(args.handler(config, args))
    except TokenMissing as exc:
        print(f"kinoclub: {exc}", file=sys.stderr)
        return 2
    except NotReady as exc:
        _print_problems("not ready to run", exc.problems)
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
