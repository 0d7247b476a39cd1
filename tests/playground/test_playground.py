"""`kinoclub playground`, driven as a visitor drives it: the tour script, bad lines, the prompt, the browser."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import discord
import pytest
from discord import app_commands

from bot import app, clock
from bot.cli import main
from bot.playground import slash
from bot.playground.world import GUILD_ID

ROOT = Path(__file__).resolve().parents[2]
TOUR = ROOT / "bot" / "playground" / "tour.playground"
CRANES = "the-cranes-are-flying-1957"


def play(capsys, settings: Path, script: Path, *extra: str) -> str:
    code = main(["playground", "--config", str(settings), "--script", str(script), *extra])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "Traceback" not in captured.out + captured.err
    return captured.out


def after(transcript: str, line: str) -> str:
    """What the playground printed for one echoed line (up to the next prompt)."""
    start = transcript.index(f"> {line}\n") + len(line) + 3
    following = re.search(r"^\w+> ", transcript[start:], re.MULTILINE)
    return transcript[start : start + following.start()] if following else transcript[start:]


def test_the_tour_shows_a_card_suggestions_a_rating_and_the_film_of_the_week(capsys, settings, tmp_path):
    database, out = tmp_path / "tour.db", tmp_path / "files"
    transcript = play(capsys, settings, TOUR, "--db", str(database), "--out", str(out))

    # The weekly channel was set up by the moderator before the first line.
    assert "mod> /club weekly channel:#film-club" in transcript
    card = after(transcript, "/film show title:cranes")
    assert "The Cranes Are Flying (1957)" in card and "Director: Mikhail Kalatozov" in card
    suggestions = after(transcript, "complete /film show title:жур")
    assert "1. The Cranes Are Flying (1957)" in suggestions
    rated = after(transcript, '/rate film:"The Cranes Are Flying" score:9')
    assert "(only you see this)" in rated and "Rated The Cranes Are Flying (1957): 9/10" in rated
    assert "[Share]" in rated
    seen = after(transcript, "/seen film:cranes")
    assert "2 ratings · average 8.00/10" in seen and "@alice — 9/10" in seen
    assert "Soviet films about parenthood · 10 films" in after(transcript, "pick 1")

    ballot = after(transcript, "/week open")
    assert "ballot for 2026-W01" in ballot and re.search(r"\[1 · [^\]]+ \(0\)\] \[2 · ", " ".join(ballot.split()))
    assert "You voted for" in after(transcript, "click 1")
    closing = after(transcript, "advance 2d")
    assert "It is now Saturday, 3 January 2026 00:00 UTC." in closing
    assert "Voting closed Friday, 2 January 2026 20:00 UTC; 3 members voted." in closing
    assert "🏆 Film of the week (2026-W01):" in closing

    # The chart was written where the transcript says, and the ratings are in the SQLite file.
    chart = Path(re.search(r"ratings\.png saved to (\S+)", seen)[1])
    assert chart.parent == out and chart.read_bytes().startswith(b"\x89PNG")
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT r.guild_id, r.score, r.review FROM ratings r JOIN films f ON f.id = r.film_id "
            "WHERE f.key = ? ORDER BY r.score",
            (CRANES,),
        ).fetchall()
    assert rows == [(GUILD_ID, 7, "Urusevsky's camera makes the war feel close."), (GUILD_ID, 9, None)]
    # The bot's clock is the system's again.
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 60


def test_bad_lines_print_a_short_reason_and_the_session_goes_on(capsys, settings, tmp_path):
    script = tmp_path / "bad.playground"
    script.write_text(
        "\n".join([
            "/nope",
            "/film shwo title:cranes",
            "/rate film:cranes",
            "/rate film:cranes score:nine",
            "/rate film:cranes score:11",
            "/ratings member:@zed",
            "as zed",
            "click 9",
            "dance a jig",
            "advance forever",
            "pick 1",
            "/rate film:cranes score:8",
            "click 9",
            "click Share",
        ]),
        encoding="utf-8",
    )
    transcript = play(capsys, settings, script)
    expected = {
        "/nope": "! There is no command /nope here.",
        "/film shwo title:cranes": "! /film has no subcommand 'shwo'",
        "/rate film:cranes": "! Discord would not send that: score: is required.",
        "/rate film:cranes score:nine": "! score: expects a number, not 'nine'",
        "as zed": "! No one called 'zed' here.",
        "click 9": "! No message with buttons has been shown to alice yet.",
        "dance a jig": "! Unknown line 'dance a jig'.",
        "advance forever": "! Not a duration: 'forever'.",
        "pick 1": "! Nothing to pick from yet.",
        "/ratings member:@zed": "! member: no one called '@zed' here",
    }
    for line, error in expected.items():
        shown = after(transcript, line)
        assert shown.startswith(error), (line, shown)
        assert all(len(out) < 200 for out in shown.splitlines())
    # The bot's own refusal, as a member sees it.
    assert "a whole number from 1 to 10" in after(transcript, "/rate film:cranes score:11")
    usage = "/rate film:<text> score:<number> [review:<text>] [spoiler:<yes/no>]"
    assert usage in after(transcript, "/rate film:cranes score:nine")
    # After all that, good lines still work.
    assert "Rated The Cranes Are Flying (1957): 8/10" in after(transcript, "/rate film:cranes score:8")
    assert transcript.count("> click 9\n") == 2
    assert "! There is no button 9: the last message has 1." in transcript.split("> click 9\n")[2]
    assert "@alice rated The Cranes Are Flying (1957): 8/10" in after(transcript, "click Share")


def test_without_a_club_weekly_command_the_setup_is_skipped(monkeypatch, capsys, settings, tmp_path):
    every = app.cog_extensions()
    monkeypatch.setattr(app, "cog_extensions", lambda: [name for name in every if name != "cogs.club"])
    script = tmp_path / "one.playground"
    script.write_text("commands club\n/film show title:cranes\n", encoding="utf-8")
    transcript = play(capsys, settings, script)
    assert "/club weekly" not in transcript and "! No command starts with /club." in transcript
    assert "The Cranes Are Flying (1957)" in after(transcript, "/film show title:cranes")


def test_the_prompt_reads_lines_until_quit(settings):
    typed = "who\n/film show title:журавли\nas mod\nquit\n"
    finished = subprocess.run(
        [sys.executable, "-m", "bot", "playground", "--config", str(settings)],
        input=typed, capture_output=True, text=True, timeout=60, cwd=ROOT, env=_environment(),
    )
    assert finished.returncode == 0, finished.stderr
    assert "alice  ← you" in finished.stdout
    assert "The Cranes Are Flying (1957)" in finished.stdout
    assert "You are mod now." in finished.stdout and finished.stdout.rstrip().endswith("Bye.")


def test_the_browser_preview_answers_on_loopback_until_ctrl_c(settings):
    server = subprocess.Popen(
        [sys.executable, "-m", "bot", "playground", "--web", "--config", str(settings)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=_environment(),
    )
    watchdog = threading.Timer(60, server.kill)  # a hung server fails the test instead of hanging it
    watchdog.start()
    try:
        url = None
        for line in server.stdout:
            if line.startswith("Open "):
                url = line.split()[1]
                break
        assert url is not None and url.startswith("http://127.0.0.1:"), server.stderr.read()
        with urllib.request.urlopen(url, timeout=10) as page:
            assert page.status == 200
            assert "text/html" in page.headers["Content-Type"]
            assert "<html" in page.read().decode()
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
        assert server.returncode == 0, err
        assert "Stopped." in out
    finally:
        watchdog.cancel()
        if server.poll() is None:
            server.kill()
            server.wait()


def test_without_the_extra_it_says_what_to_install(monkeypatch, capsys, settings):
    monkeypatch.setitem(sys.modules, "simcord", None)  # as if SimCord were not installed
    with pytest.raises(SystemExit) as exited:
        main(["playground", "--config", str(settings)])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install -e '.[playground]'" in err


# ------------------------------------------------------- typed lines, generic over commands


def test_options_are_read_by_the_types_the_command_tree_declares():
    tree = app_commands.CommandTree(discord.Client(intents=discord.Intents.none()))

    @tree.command(name="ping", description="A command no playground code knows")
    @app_commands.describe(times="how many")
    async def ping(interaction: discord.Interaction, times: app_commands.Range[int, 1, 5], loud: bool = False,
                   note: str | None = None) -> None: ...

    index = slash.CommandIndex.from_tree(tree, None)
    assert list(index.leaves) == ["ping"]
    leaf = index.get("ping")
    assert leaf.usage() == "/ping times:<1–5> [loud:<yes/no>] [note:<text>]"
    invocation = slash.parse('/ping times:3 note:"it\'s me" loud:yes', index)
    assert slash.convert(leaf, invocation.raw, resolve=None) == {"times": 3, "note": "it's me", "loud": True}
    # Unquoted words run on into the option before them; an apostrophe needs no quoting.
    assert slash.parse("/ping note:Ivan's Childhood is long times:2", index).raw == {
        "note": "Ivan's Childhood is long", "times": "2",
    }
    with pytest.raises(slash.LineError, match="expects a whole number"):
        slash.convert(leaf, {"times": "three"}, resolve=None)
    with pytest.raises(slash.LineError, match="no option 'lound'"):
        slash.parse("/ping lound:yes", index)


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)}
