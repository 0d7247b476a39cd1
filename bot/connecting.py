"""How `kinoclub run` and `kinoclub sync` meet Discord: what a failed login means, and stopping on a signal."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import TYPE_CHECKING

from bot.config import TokenMissing

if TYPE_CHECKING:
    from bot.app import KinoBot

log = logging.getLogger("kinoclub")


class Shutdown:
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


def start_failure(exc: Exception) -> TokenMissing | str | None:
    """What to tell the admin when the login fails: the token's problem, a sentence, or None for an error
    that is ours to show in full."""
    import aiohttp
    import discord

    # 4004: the gateway's "authentication failed", which Discord can send after REST accepted the login.
    if isinstance(exc, discord.LoginFailure) or (isinstance(exc, discord.ConnectionClosed) and exc.code == 4004):
        return TokenMissing(
            "Discord refused the token. Copy a fresh one from the Bot page of your application "
            "(Reset Token) into KINOCLUB_TOKEN or discord.token_file."
        )
    if isinstance(exc, discord.PrivilegedIntentsRequired):
        return f"Discord refused a privileged intent: {exc}"
    if isinstance(exc, discord.ConnectionClosed):
        return (
            f"Discord closed the connection with code {exc.code} ({exc.reason or 'no reason given'}); "
            "its gateway documentation lists what each code means"
        )
    if isinstance(exc, discord.GatewayNotFound | discord.DiscordServerError):
        return f"Discord is not answering as it should ({exc}); try again later"
    if isinstance(exc, aiohttp.ClientConnectionError | OSError):
        return f"cannot reach Discord ({exc}); check this machine's network and try again"
    lost = exc.__context__
    if isinstance(exc, AttributeError) and isinstance(lost, aiohttp.ClientError | OSError | TimeoutError):
        # discord.py cannot retry a gateway it never reached (it reads the missing connection's state)
        # and fails with this AttributeError instead: what the admin needs is the error under it.
        return f"cannot reach Discord's gateway ({lost}); check this machine's network and try again"
    return None
