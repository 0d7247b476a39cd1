"""Members' and moderators' text as the bot shows it in public: markdown escaped, links inert, spoilers kept
to the text that wrote them.

Discord renders markdown in message content, embed descriptions and field values, so everything typed
goes through `escape` before it lands in one of those (footers and choice labels show text as it is).
"""

from __future__ import annotations

import re

import discord

SPOILER = "||"
_ESCAPED_SPOILER = r"\|\|"
# escape_markdown leaves "](" alone; escaped, a masked link shows its real address instead of its label.
_LINK_JOIN = re.compile(r"\]\(")


def escape(text: str) -> str:
    """`text` shown exactly as typed: no bold, headings, quotes, spoilers or masked links."""
    # ignore_links keeps a bare address clickable and unmangled; it cannot hide where it goes.
    return _LINK_JOIN.sub(r"]\\(", discord.utils.escape_markdown(text, ignore_links=True))


def escape_clipped(text: str, limit: int) -> str:
    """`escape`, then cut to `limit` so escaping cannot push a field past its size; a cut never leaves
    half an escape behind (a lone backslash would show)."""
    shown = escape(text)
    if len(shown) <= limit:
        return shown
    cut = shown[: max(limit - 1, 0)]
    if (len(cut) - len(cut.rstrip("\\"))) % 2:
        cut = cut[:-1]
    return cut.rstrip() + "…"


def _tokens(text: str) -> list[str]:
    """The text split at "||": escaped pieces, with "||" for each spoiler mark that has a partner.

    Marks pair up in order; an odd one out is shown as typed, so it cannot pair with a mark in the
    next member's text on the same page."""
    parts = text.split(SPOILER)
    kept = (len(parts) - 1) // 2 * 2
    out = [escape(parts[0])]
    for number, part in enumerate(parts[1:], 1):
        out.append(SPOILER if number <= kept else _ESCAPED_SPOILER)
        out.append(escape(part))
    return out


def own_spoilers(text: str) -> str:
    """`text` escaped, keeping the member's own paired ||spoilers|| and nothing else."""
    return "".join(_tokens(text))


def behind_spoiler(text: str) -> str:
    """All of `text` behind one spoiler; marks inside are shown as typed so none can end it early."""
    return SPOILER + escape(text) + SPOILER


def _lines(text: str) -> list[str]:
    """`own_spoilers`, cut into lines that each close the spoilers they open: a spoiler that crossed a
    line break would come apart in a quote, whose every line is a block of its own."""
    lines, line, open_spoiler = [], "", False
    for token in _tokens("\n".join(text.splitlines())):
        if token == SPOILER:
            open_spoiler = not open_spoiler
            line += token
            continue
        pieces = token.split("\n")
        for piece in pieces[:-1]:
            lines.append(line + piece + (SPOILER if open_spoiler else ""))
            line = SPOILER if open_spoiler else ""
        line += pieces[-1]
    lines.append(line)
    return [shown for shown in lines if shown.strip() and shown != SPOILER * 2]


def quoted_review(review: str, spoiler: bool) -> str:
    """A review as a quote under a public post: each line quoted and, for a spoiler, hidden on its own."""
    lines = [behind_spoiler(line) for line in review.splitlines() if line.strip()] if spoiler else _lines(review)
    return "\n".join(f"> {line}" for line in lines)


def review_line(review: str, spoiler: bool) -> str:
    """A review on one line of a page of reviews (line breaks already folded)."""
    return behind_spoiler(review) if spoiler else own_spoilers(review)
