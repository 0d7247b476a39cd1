"""The playground shows the bot as a member sees it: button labels, paced counts, the browser page, no leftovers."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

import discord
from rich.console import Console

from bot.config import parse_config
from bot.playground import modes
from bot.playground.pacing import PACED
from bot.playground.render import Renderer
from bot.playground.session import Session
from bot.playground.world import open_world
from tests.playground.test_playground import ROOT, _environment, after, play

BALLOT = ["as mod", "/week open", "as alice", "click 1", "as boris", "click 1", "as dasha", "click 2", "advance 10s"]
HOW_TO_CLICK = '(click 1 presses the first button, left to right; click "Share" presses it by its label)'


def write(tmp_path: Path, *lines: str) -> Path:
    script = tmp_path / "lines.playground"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return script


def test_buttons_show_the_label_a_member_reads_and_how_to_press_them_once(capsys, settings, tmp_path):
    transcript = play(capsys, settings, write(tmp_path, '/rate film:"The Cranes Are Flying" score:9', *BALLOT))

    rated = after(transcript, '/rate film:"The Cranes Are Flying" score:9')
    assert "[Share]\n" in rated
    ballot = " ".join(after(transcript, "/week open").split())  # a long label may wrap in the transcript
    labels = re.findall(r"\[(\d) · ([^\]]+?) \((\d)\)\]", ballot)
    assert [(number, count) for number, _, count in labels] == [("1", "0"), ("2", "0"), ("3", "0"), ("4", "0")]
    # No custom_id, no second number in front of the ballot's own.
    assert "kino:" not in transcript and not re.search(r"\[\d \d", transcript)
    assert transcript.count(HOW_TO_CLICK) == 1 and HOW_TO_CLICK in rated
    # Pressing by number still means left to right.
    assert f"You voted for {labels[0][1]}." in after(transcript, "click 1")


def test_a_vote_the_ballot_does_not_show_yet_is_explained_once(capsys, settings, tmp_path):
    transcript = play(capsys, settings, write(tmp_path, *BALLOT))

    first, second = transcript.split("> click 1\n")[1:3]
    assert "(edited)" in first and PACED not in first  # the first vote is drawn at once
    assert "(edited)" not in second.split("> ")[0] and PACED in second
    assert "counts on the ballot update every few seconds; type `advance 10s`" in PACED
    assert transcript.count(PACED) == 1  # dasha's vote waits too, and is not told again
    moved = after(transcript, "advance 10s")
    assert "kinoclub in #film-club (edited)" in moved and re.search(r"\[1 · [^\]]+ \(2\)\]", moved)


def test_hidden_counts_have_nothing_to_wait_for(capsys, settings, tmp_path):
    transcript = play(capsys, settings, write(tmp_path, "as mod", "/club weekly counts:hidden", *BALLOT))
    assert "You voted for" in after(transcript, "click 2") and PACED not in transcript


def test_files_sent_by_the_bot_are_removed_at_exit_unless_out_keeps_them(capsys, settings, tmp_path):
    lines = ["/rate film:cranes score:9", "/seen film:cranes"]
    transcript = play(capsys, settings, write(tmp_path, *lines))
    chart = Path(re.search(r"ratings\.png saved to (\S+)", transcript)[1])
    assert "Files the bot sends: a temporary folder, gone when you leave" in " ".join(transcript.split())
    assert not chart.exists() and not chart.parent.exists()

    out = tmp_path / "kept"
    transcript = play(capsys, settings, write(tmp_path, *lines), "--out", str(out))
    chart = Path(re.search(r"ratings\.png saved to (\S+)", transcript)[1])
    assert chart.parent == out and chart.read_bytes().startswith(b"\x89PNG")
    assert f"Files the bot sends: {out} (kept)" in " ".join(transcript.split())


async def test_the_page_opens_on_commands_synced_once_and_a_populated_channel(tmp_path):
    config = parse_config({}, environ={})
    console = Console(file=open(tmp_path / "transcript.txt", "w", encoding="utf-8"), width=100)  # noqa: SIM115
    async with open_world(config, tmp_path / "web.db") as world:
        session = Session(world, console, Renderer(console, world, tmp_path / "files"))
        await session.setup_weekly()
        await modes.run_script(session, modes.WEB_START)
        alice = world.people["alice"]

        # What alice's client lists in #film-club: every command of the tree, each once.
        visible = world.env.backend.visible_commands(user_id=alice.id, channel_id=world.channel.id)
        names = Counter(command["name"] for command in visible)
        tree = {command.name for command in world.bot.tree.get_commands(type=discord.AppCommandType.chat_input)}
        assert set(names) == tree and set(names.values()) == {1}

        posted = [message for message in world.env.backend.messages[world.channel.id].values()
                  if message.visible_to(alice.id)]
        text = "\n".join(message.content + str(message.embeds) for message in posted)
        assert "The Cranes Are Flying (1957)" in text and "ballot for 2026-W01" in text
    console.file.close()


class Running:
    """A playground subprocess whose output is read as it comes (a pipe, as a person's terminal sees it)."""

    def __init__(self, settings: Path, *extra: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "playground", "--config", str(settings), *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=_environment(),
        )
        self.out = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._watchdog = threading.Timer(60, self.process.kill)  # a hung playground fails, never hangs
        self._watchdog.start()

    def _read(self) -> None:
        while chunk := os.read(self.process.stdout.fileno(), 65536):
            self.out += chunk

    @property
    def text(self) -> str:
        return self.out.decode("utf-8", "replace")

    def wait_for(self, pattern: str) -> re.Match[str]:
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline:
            if found := re.search(pattern, self.text):
                return found
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"{pattern!r} never came: {self.text[-2000:]}")

    def type(self, text: str) -> None:
        self.process.stdin.write(text.encode())
        self.process.stdin.flush()

    def finish(self) -> tuple[int, str, str]:
        try:
            code = self.process.wait(timeout=30)
            self._reader.join(timeout=10)
            return code, self.text, self.process.stderr.read().decode("utf-8", "replace")
        finally:
            self._watchdog.cancel()
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


def test_the_terminal_takes_lines_while_the_page_is_served(settings):
    running = Running(settings, "--web")
    url = running.wait_for(r"Open (http://127\.0\.0\.1:\S+)")[1]
    opening = running.text
    assert "mod> /week open" in opening and "ballot for 2026-W01" in opening
    assert "alice> /film show title:cranes" in opening
    with urllib.request.urlopen(url, timeout=10) as page:
        assert page.status == 200
    running.wait_for(r"alice> $")
    running.type("now\nas boris\nquit\n")
    code, out, err = running.finish()
    assert code == 0, err
    assert "Type in the page's message box, or here" in " ".join(out.split())
    assert "It is Thursday, 1 January 2026" in out and "You are boris now." in out
    assert out.rstrip().endswith("Stopped.") and "Traceback" not in out + err and "Fatal" not in err


def test_ctrl_c_at_a_piped_prompt_says_bye_instead_of_aborting(settings):
    running = Running(settings)
    running.wait_for(r"alice> $")
    running.type("now\n")
    running.wait_for(r"It is Thursday[^\n]*\n\nalice> $")
    running.process.send_signal(signal.SIGINT)  # stdin still open: the prompt is waiting for a line
    code, out, err = running.finish()
    assert code == 0, err
    assert out.rstrip().endswith("Bye.") and "Fatal" not in err and "Traceback" not in err
