"""Each romanisation of a bundled Russian title finds its film first, through the real catalogue search."""

from __future__ import annotations

import pytest

from bot.catalogue.search import Catalogue

# (English title in the bundle, then how passport/ICAO, BGN/PCGN, scholarly and Czech-style spellings
# write the Russian original)
ROMANISED_TITLES = [
    ("Circus", ["Tsirk", "Cirk", "tsirk", "cirk"]),
    ("I Am Cuba", ["Ya — Kuba", "Ja — Kuba", "Ia — Kuba", "ja kuba", "ya kuba", "Â — Kuba"]),
    ("Father of a Soldier", ["Otets soldata", "Otec soldata", "otec soldata"]),
    ("The House I Live In", ["Dom, v kotorom ya zhivu", "Dom, v kotorom ja živu", "dom v kotorom ja zhivu",
                             "dom v kotorom ia zhivu"]),
    ("The Cranes Are Flying", ["Letyat zhuravli", "Letjat žuravli", "Letiat zhuravli", "Letât žuravli"]),
]


@pytest.mark.parametrize(
    ("title", "query"),
    [(title, query) for title, queries in ROMANISED_TITLES for query in queries],
)
async def test_every_romanisation_finds_the_film_first(catalogue_store, title, query):
    hits = await Catalogue(catalogue_store).search(query)
    assert hits and hits[0].film.title == title, [hit.film.title for hit in hits[:3]]


@pytest.mark.parametrize(("query", "title"), [("circus", "Circus"), ("cranes", "The Cranes Are Flying"),
                                              ("the c", None), ("circ", "Circus")])
async def test_english_titles_still_find_themselves_whole_and_by_prefix(catalogue_store, query, title):
    hits = await Catalogue(catalogue_store).search(query)
    assert hits
    if title is not None:
        assert hits[0].film.title == title
