"""Rating distribution charts as PNG bytes.

Drawn with Pillow alone: ten bars, two axes and a few labels do not need a plotting library, and the one
we had (with numpy beside it) made up most of the install and a third of the bot's memory. The font ships
in bot/ui/fonts because Pillow's built-in one has no Cyrillic. Rendering runs in a worker thread so the
event loop keeps answering.
"""

from __future__ import annotations

import asyncio
import io
import itertools
from collections import OrderedDict
from collections.abc import Hashable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from bot import i18n
from bot.club.scales import Scale

FILENAME = "ratings.png"
CACHE_SIZE = 256
BAR = "#8B1E3F"

FONT = Path(__file__).with_name("fonts") / "DejaVuSans.ttf"
S = 2  # drawn at twice 600×260 so text and edges stay crisp on high-density screens
WIDTH, HEIGHT = 600 * S, 260 * S
PAD = 8 * S
TICK = 4 * S
INK = (0, 0, 0)
PAPER = (255, 255, 255)

# (guild, subject, counts, scale, title, language) → PNG. The counts are the whole input of the picture, so an
# unchanged distribution is never drawn twice, and any rating change makes a new key by itself.
_cache: OrderedDict[Hashable, bytes] = OrderedDict()
renders = 0  # how many charts were actually drawn; tests read it to see the cache work


def _font(size: int) -> ImageFont.FreeTypeFont:
    # A fresh face per render (about 0.05 ms): renders run in several worker threads at once, and a
    # FreeType face shared between them would be one state written from two places.
    return ImageFont.truetype(str(FONT), size * S)


def _y_ticks(tallest: int) -> tuple[float, list[int]]:
    """The axis top (5% above the tallest bar, as the eye expects headroom) and at most six whole-number ticks."""
    top = max(tallest, 1) * 1.05
    steps = (m * 10**e for e in itertools.count() for m in (1, 2, 5))
    step = next(s for s in steps if int(top) // s <= 5)
    return top, list(range(0, int(top) + 1, step))


def _fit(text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    """`text`, or its longest start that fits `width` with an ellipsis, so a long title never runs off the image."""
    if font.getlength(text) <= width:
        return text
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if font.getlength(text[:mid].rstrip() + "…") <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


def _vertical(image: Image.Image, text: str, font: ImageFont.FreeTypeFont, centre: tuple[int, int]) -> None:
    """Text turned a quarter left, drawn as a mask so it keeps its antialiasing (a 90° turn resamples nothing)."""
    _, _, right, bottom = font.getbbox(text)
    mask = Image.new("L", (right, bottom))
    ImageDraw.Draw(mask).text((0, 0), text, font=font, fill=255)
    mask = mask.transpose(Image.Transpose.ROTATE_90)
    image.paste(INK, (centre[0] - mask.width // 2, centre[1] - mask.height // 2), mask)


def axis_labels(scale: Scale) -> tuple[str, str]:
    """The x and y axis labels in the reader's language: ("score" or "stars", "ratings")."""
    x = i18n.pgettext("chart axis", "stars") if scale is Scale.STARS else i18n.pgettext("chart axis", "score")
    return x, i18n.pgettext("chart axis", "ratings")


def render_distribution(counts: tuple[int, ...], scale: Scale, title: str) -> bytes:
    """A bar per score 1–10, labelled on the server's scale. Blocking: call through `distribution_png`."""
    global renders
    title_font, label_font, tick_font, score_font = _font(10), _font(10), _font(9), _font(8)
    # Half stars with the reader's decimal mark: 2.5 in English, 2,5 in Russian.
    labels = [i18n.number(score / 2, score % 2) if scale is Scale.STARS else str(score) for score in range(1, 11)]
    xlabel, ylabel = axis_labels(scale)
    top, ticks = _y_ticks(max(counts, default=0))

    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    line = max(1, S)

    # Margins from what the text needs: the ylabel's line height and the widest y tick on the left,
    # the title above, the score labels and the xlabel below.
    label_height = sum(label_font.getmetrics())
    widest_tick = max(tick_font.getlength(str(t)) for t in ticks)
    left = PAD + label_height + PAD + round(widest_tick) + TICK + S
    right = WIDTH - 2 * PAD
    plot_top = PAD + sum(title_font.getmetrics()) + PAD
    bottom = HEIGHT - PAD - label_height - S * 3 - sum(score_font.getmetrics()) - TICK

    # Ten slots with a little air either side, each bar 0.8 of its slot, as in any bar chart.
    slot = (right - left) / 10.6

    def x_of(score: int) -> float:
        return left + (score - 0.2) * slot

    def y_of(value: float) -> float:
        return bottom - value * (bottom - plot_top) / top

    for score, count in enumerate(counts, start=1):
        if count:
            draw.rectangle((round(x_of(score - 0.4)), round(y_of(count)), round(x_of(score + 0.4)), bottom), BAR)

    # Only the left and bottom spines: a box around ten bars is ink that says nothing.
    draw.line((left, plot_top, left, bottom), INK, line)
    draw.line((left, bottom, right, bottom), INK, line)
    for tick in ticks:
        y = round(y_of(tick))
        draw.line((left - TICK, y, left, y), INK, line)
        draw.text((left - TICK - S * 2, y), str(tick), INK, tick_font, anchor="rm")
    for score, label in enumerate(labels, start=1):
        x = round(x_of(score))
        draw.line((x, bottom, x, bottom + TICK), INK, line)
        draw.text((x, bottom + TICK + S * 2), label, INK, score_font, anchor="mt")

    draw.text(((left + right) // 2, HEIGHT - PAD), xlabel, INK, label_font, anchor="md")
    _vertical(image, ylabel, label_font, (PAD + label_height // 2, (plot_top + bottom) // 2))

    # Centred over the bars like a plot title, but slid inwards (and cut short) rather than overflow.
    text = _fit(" ".join(title.split()), title_font, WIDTH - 2 * PAD)
    width = title_font.getlength(text)
    x = min(max((left + right - width) / 2, PAD), WIDTH - PAD - width)
    draw.text((x, PAD), text, INK, title_font, anchor="la")

    out = io.BytesIO()
    image.save(out, format="PNG")
    renders += 1
    return out.getvalue()


async def distribution_png(guild_id: int, subject: str, counts: tuple[int, ...], scale: Scale, title: str) -> bytes:
    """The chart, from the cache when this exact distribution was drawn before, else drawn off the loop
    (in a thread that inherits this task's language, so the axes read as the reply around them)."""
    key = (guild_id, subject, counts, scale, title, i18n.current())
    cached = _cache.get(key)
    if cached is not None:
        _cache.move_to_end(key)
        return cached
    png = await asyncio.to_thread(render_distribution, counts, scale, title)
    _cache[key] = png
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return png
