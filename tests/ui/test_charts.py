"""Distribution charts: a real PNG that shows the bars and the title, drawn off the event loop, and drawn once
per distinct distribution."""

from __future__ import annotations

import asyncio
import io

from PIL import Image, ImageChops, ImageColor

from bot.club.scales import Scale
from bot.ui import charts

COUNTS = (0, 1, 0, 2, 3, 5, 8, 4, 2, 1)
BAR = ImageColor.getrgb(charts.BAR)
WHITE = (255, 255, 255)


def _image(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image.convert("RGB")


def _inked(region: Image.Image) -> bool:
    return ImageChops.difference(region, Image.new("RGB", region.size, WHITE)).getbbox() is not None


def _title_strip(image: Image.Image) -> Image.Image:
    return image.crop((0, 0, image.width, image.height // 10))  # the title's band, above the top of the axis


def _bar_heights(image: Image.Image) -> list[int]:
    """Height in pixels of each bar, left to right, read off the picture."""
    pixels = image.load()
    rows = [y for y in range(image.height) if any(pixels[x, y] == BAR for x in range(image.width))]
    assert rows, "no bar is drawn in the house colour"
    floor = max(rows)
    runs, inside = [], False
    for x in range(image.width):
        if pixels[x, floor] == BAR and not inside:
            runs.append([x, x])
        if pixels[x, floor] == BAR:
            runs[-1][1] = x
        inside = pixels[x, floor] == BAR
    return [sum(pixels[(a + b) // 2, y] == BAR for y in range(image.height)) for a, b in runs]


def test_the_chart_is_a_png_of_the_promised_size_with_a_bar_per_rated_score_in_proportion():
    image = _image(charts.render_distribution(COUNTS, Scale.TEN, "Cranes"))
    assert image.size == (1200, 520)  # 600×260 drawn at twice the density
    heights = _bar_heights(image)
    assert len(heights) == sum(1 for c in COUNTS if c)  # the two zero scores draw no bar
    one = heights[0]  # score 2 has a single rating
    for height, count in zip(heights, [c for c in COUNTS if c], strict=True):
        assert abs(height - count * one) <= count  # within a pixel of rounding per unit


def test_a_cyrillic_title_is_drawn_in_real_glyphs():
    cranes = _title_strip(_image(charts.render_distribution(COUNTS, Scale.TEN, "Летят журавли")))
    assert _inked(cranes)
    # A font without Cyrillic draws every letter as the same box; different letters must differ.
    zhe = _title_strip(_image(charts.render_distribution(COUNTS, Scale.TEN, "жжжж")))
    el = _title_strip(_image(charts.render_distribution(COUNTS, Scale.TEN, "лллл")))
    assert ImageChops.difference(zhe, el).getbbox() is not None


def test_a_long_title_is_cut_short_instead_of_running_off_the_picture():
    image = _image(charts.render_distribution(COUNTS, Scale.STARS, "Летят журавли $x$ " * 17))  # 306 chars
    strip = _title_strip(image)
    assert _inked(strip.crop((0, 0, strip.width // 10, strip.height)))  # it starts near the left edge…
    assert _inked(strip.crop((strip.width * 9 // 10, 0, strip.width, strip.height)))  # …and reaches the right
    for column in (0, image.width - 1):
        assert not _inked(image.crop((column, 0, column + 1, image.height)))  # but neither edge is touched


async def test_the_loop_keeps_answering_while_a_chart_renders():
    ticks = 0
    rendering = True

    async def ticker():
        nonlocal ticks
        while rendering:
            ticks += 1
            await asyncio.sleep(0.001)

    running = asyncio.create_task(ticker())
    png = await charts.distribution_png(1, "loop-test", COUNTS, Scale.TEN, "The $Cranes$ {Are} Flying")
    rendering = False
    await running
    assert _inked(_title_strip(_image(png)))  # a "$" is plain text, not markup that swallows the title
    assert ticks > 1  # the ticker ran between render start and end: the render did not hold the loop


async def test_an_unchanged_distribution_is_not_drawn_again():
    before = charts.renders
    first = await charts.distribution_png(2, "film:1", COUNTS, Scale.STARS, "Cranes")
    again = await charts.distribution_png(2, "film:1", COUNTS, Scale.STARS, "Cranes")
    assert first is again and charts.renders == before + 1
    changed = await charts.distribution_png(2, "film:1", (1, *COUNTS[1:]), Scale.STARS, "Cranes")
    assert changed != first and charts.renders == before + 2


def test_an_empty_distribution_still_draws_its_axes_and_no_bars():
    image = _image(charts.render_distribution((0,) * 10, Scale.TEN, "Nobody yet"))
    pixels = image.load()
    assert not any(pixels[x, y] == BAR for x in range(0, image.width, 2) for y in range(0, image.height, 2))
    assert _inked(image.crop((0, image.height // 10, image.width, image.height)))  # axes and labels
