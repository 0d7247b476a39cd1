"""Rating distribution charts as PNG bytes.

Drawn with matplotlib's object API (`Figure` + the Agg canvas, never pyplot): pyplot keeps global
state and is not thread-safe, and rendering runs in a worker thread so the event loop keeps answering.
"""

from __future__ import annotations

import asyncio
import io
from collections import OrderedDict
from collections.abc import Hashable

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bot.club.scales import Scale

FILENAME = "ratings.png"
CACHE_SIZE = 256
BAR = "#8B1E3F"

# (guild, subject, counts, scale, title) → PNG. The counts are the whole input of the picture, so an
# unchanged distribution is never drawn twice, and any rating change makes a new key by itself.
_cache: OrderedDict[Hashable, bytes] = OrderedDict()
renders = 0  # how many charts were actually drawn; tests read it to see the cache work


def render_distribution(counts: tuple[int, ...], scale: Scale, title: str) -> bytes:
    """A bar per score 1–10, labelled on the server's scale. Blocking: call through `distribution_png`."""
    global renders
    figure = Figure(figsize=(6, 2.6), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [f"{score / 2:g}" if scale is Scale.STARS else str(score) for score in range(1, 11)]
    axes.bar(range(1, 11), counts, color=BAR)
    axes.set_xticks(range(1, 11), labels, fontsize=8)
    axes.set_xlabel("stars" if scale is Scale.STARS else "score")
    axes.set_ylabel("ratings")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.set_title(title[:80], fontsize=10, parse_math=False)  # a "$" in a name is text, not TeX
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    renders += 1
    return out.getvalue()


async def distribution_png(guild_id: int, subject: str, counts: tuple[int, ...], scale: Scale, title: str) -> bytes:
    """The chart, from the cache when this exact distribution was drawn before, else drawn off the loop."""
    key = (guild_id, subject, counts, scale, title)
    cached = _cache.get(key)
    if cached is not None:
        _cache.move_to_end(key)
        return cached
    png = await asyncio.to_thread(render_distribution, counts, scale, title)
    _cache[key] = png
    while len(_cache) > CACHE_SIZE:
        _cache.popitem(last=False)
    return png
