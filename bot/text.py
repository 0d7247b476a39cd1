"""Rules for text members type, shared by every command that stores it (films, lists, reviews)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from bot.errors import UserError
from bot.i18n import N_, _

_KEPT_CONTROLS = frozenset("\t\n\r")
# Text that renders as a ping in someone's client: refused where it would be stored and shown again,
# because a later render without allowed_mentions none would turn it into a real ping.
MENTION = re.compile(r"@(everyone|here)\b|<(@[!&]?|#)\d+>", re.IGNORECASE)

# A constant for the callers that answer with it; each shows it through `_()`.
UNSENDABLE = N_(
    "That text has characters Discord cannot send (a broken emoji or symbol, often from a copy and paste); "
    "please type it again."
)

ZWNJ, ZWJ = "\u200c", "\u200d"
_BLACK_FLAG = "\U0001f3f4"
_TAGS = range(0xE0020, 0xE0080)
# Letters that draw nothing: a name made of them looks empty, or like someone else's.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def has_control(text: str) -> bool:
    """Any control character (C0 or C1) other than tab and line breaks."""
    return any(unicodedata.category(ch) == "Cc" and ch not in _KEPT_CONTROLS for ch in text)


def has_mention(text: str) -> bool:
    return MENTION.search(text) is not None


def sendable(text: str) -> bool:
    """False for a lone surrogate: Python holds it, but it has no UTF-8 form, so neither SQLite nor
    Discord can take it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _emoji(ch: str) -> bool:
    # Pictographs are symbols (So); skin tones are Sk; U+FE0F asks for the emoji form of the one before.
    return unicodedata.category(ch) in ("So", "Sk") or ch == "\ufe0f"


def _joins(text: str, i: int) -> bool:
    """A joiner that only shapes what is around it: inside an emoji sequence (👩‍💻) or between two
    letters of a script that needs it (Persian, Hindi). Between ASCII letters it only hides."""
    before, after = text[i - 1 : i], text[i + 1 : i + 2]
    if not before or not after:
        return False
    if text[i] == ZWJ and _emoji(before) and _emoji(after):
        return True
    return before.isalpha() and after.isalpha() and not (before.isascii() or after.isascii())


def _flag_tags(text: str, i: int) -> bool:
    """Tag characters spell a subdivision flag (🏴 + gbeng + cancel tag) and nothing else."""
    j = i
    while j > 0 and ord(text[j - 1]) in _TAGS:
        j -= 1
    return j > 0 and text[j - 1] == _BLACK_FLAG


def _invisible(text: str) -> Iterator[int]:
    """Where the refused characters are."""
    for i, ch in enumerate(text):
        if ch in _BLANK_LETTERS or unicodedata.category(ch) == "Cs":
            yield i
        elif unicodedata.category(ch) == "Cf":
            if ch in (ZWJ, ZWNJ) and _joins(text, i):
                continue
            if ord(ch) in _TAGS and _flag_tags(text, i):
                continue
            yield i


def invisible_character(text: str) -> str | None:
    """The first character that draws nothing or turns text around (U+202E, U+200B, U+FEFF, any
    format character), or None. Joiners inside emoji and non-Latin words are kept."""
    i = next(_invisible(text), None)
    return None if i is None else text[i]


def visible(text: str) -> str:
    """`text` without the characters `invisible_character` finds, for echoing typed text (a search)."""
    drop = set(_invisible(text))
    return "".join(ch for i, ch in enumerate(text) if i not in drop) if drop else text


def check_visible(text: str | None, what: str) -> None:
    """UserError naming the character when `text` (going to be stored and shown to others) holds one
    that is invisible or reverses the text around it. `what` names the field in the reader's language."""
    if text is None:
        return
    if not sendable(text):
        raise UserError(_(UNSENDABLE))
    ch = invisible_character(text)
    if ch is not None:
        name = unicodedata.name(ch, "format character").lower()
        said = _(
            "The {what} contains an invisible or direction-changing character ({code}, {name}); please type plain text."
        )
        raise UserError(said.format(what=what, code=f"U+{ord(ch):04X}", name=name))


def check_stored(text: str | None, what: str) -> None:
    """The one rule for text members or moderators write that is stored and shown to others (film
    facts, reviews, list names, descriptions and notes): UserError when it holds a control
    character, something that renders as a mention, or an invisible or direction-changing one."""
    if text is None:
        return
    check_visible(text, what)  # first: it also refuses what cannot be encoded, before any echo
    if has_control(text):
        raise UserError(_("The {what} cannot contain control characters.").format(what=what))
    if has_mention(text):
        raise UserError(_("The {what} cannot mention people, roles, channels, @everyone or @here.").format(what=what))


def counted(count: int, one: str, many: str | None = None) -> str:
    """English only, for the callers not yet on `bot.i18n.counted` (which knows every language's plurals):
    "1 film", "2 films", "1,204 ratings"."""
    return f"{count:,} {one if count == 1 else (many or one + 's')}"
