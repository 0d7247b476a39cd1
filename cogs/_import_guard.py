"""One file import at a time per member, and a pause after a heavy one.

Shared by /import letterboxd and /list import. It is a small guard here rather than discord.py's
`app_commands.checks.cooldown` because a cooldown only counts invocations: it cannot see that the
member's previous import is still running (a big file outlasts any short window), it is kept per
command (two commands, two windows), and a fixed window would refuse the quick back-to-back imports
of small files that members do (fix a line, import again). Here the pause is charged by the work an
import cost: a file that kept a worker busy for HEAVY seconds or more earns a PAUSE-second wait.
"""

from __future__ import annotations

import contextlib
import math
import time
import weakref
from collections.abc import AsyncIterator

import discord

from bot.errors import UserError
from bot.i18n import _

HEAVY = 1.0  # seconds an import took before its member must pause
PAUSE = 10.0


class ImportGuard:
    def __init__(self) -> None:
        self.heavy = HEAVY
        self.pause = PAUSE
        self._running: set[int] = set()
        self._resume_at: dict[int, float] = {}  # user id → monotonic time the next import may start

    @contextlib.asynccontextmanager
    async def hold(self, user_id: int) -> AsyncIterator[None]:
        """The block is the member's import; UserError if one is running or they must still pause."""
        if user_id in self._running:
            raise UserError(_("Your previous import is still running; wait for its reply, then try again."))
        wait = self._resume_at.get(user_id, 0.0) - time.monotonic()
        if wait > 0:
            raise UserError(
                _("Your last import was a big file; wait {seconds} s before importing another.").format(
                    seconds=math.ceil(wait)
                )
            )
        self._resume_at.pop(user_id, None)
        self._running.add(user_id)
        started = time.monotonic()
        try:
            yield
        finally:
            self._running.discard(user_id)
            finished = time.monotonic()
            if finished - started >= self.heavy:
                self._resume_at[user_id] = finished + self.pause


_GUARDS: weakref.WeakKeyDictionary[object, ImportGuard] = weakref.WeakKeyDictionary()


def import_guard(bot: object) -> ImportGuard:
    """The bot's one guard, shared by every import command (each bot its own, as tests run many)."""
    guard = _GUARDS.get(bot)
    if guard is None:
        guard = _GUARDS[bot] = ImportGuard()
    return guard


@contextlib.asynccontextmanager
async def importing(bot: object, interaction: discord.Interaction, file: discord.Attachment) -> AsyncIterator[bytes]:
    """The member's import of `file`: the guard held, Discord answered ("thinking": downloading and
    reading a file can outlast its 3 seconds), and the file's bytes."""
    async with import_guard(bot).hold(interaction.user.id):
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            data = await file.read()
        except discord.HTTPException:
            raise UserError(_("Could not download that file from Discord; try attaching it again.")) from None
        yield data
