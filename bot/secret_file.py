"""Reading a secret (Discord's token, TMDB's read token) from the file the admin named for it.

One set of rules for every secret: a plain file (a device or a pipe could block or never end), at
most a few KB, UTF-8 text; readable by others is a warning at every start, not a refusal, because a
bot that stops on its next restart is worse than one that says how to close the hole. No message
ever shows more of the path than `redact` lets through, and none shows the content.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger("bot.config")

LIMIT = 4096  # a token is about 72 characters; anything much longer is not one, and /dev/zero never ends


def read_secret_file(
    path: Path, key: str, error: type[Exception], what: str = "the token", risk: str = "", limit: int = LIMIT
) -> str:
    """The file's text, stripped. `key` names the setting in messages ("discord.token_file"), `what`
    the secret ("the TMDB read token"), `risk` what a reader of it could do (for the warning)."""
    from bot.config import redact

    shown = redact(str(path))
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise error(f"{key}: {shown} is not a plain file")
        if os.name == "posix" and info.st_mode & 0o077:
            log.warning(
                "%s: %s can be read by other users of this machine (mode %o)%s; run `chmod 600 %s`",
                key, shown, stat.S_IMODE(info.st_mode), risk, shown,
            )
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as exc:
        raise error(f"{key}: cannot read {shown} ({exc.strerror})") from None
    if len(data) > limit:
        raise error(f"{key}: {shown} is larger than a token; it must hold {what} alone")
    try:
        return data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise error(f"{key}: {shown} is not text; it must hold the token alone") from None
