"""Online film sources behind one interface (base.Provider): Wikidata without a key, TMDB with one."""

from bot.catalogue.providers.base import Answer, Details, Failure, Provider, Watch
from bot.catalogue.providers.http import USER_AGENT
from bot.catalogue.providers.tmdb import TmdbProvider
from bot.catalogue.providers.wikidata import WikidataProvider

__all__ = ["USER_AGENT", "Answer", "Details", "Failure", "Provider", "TmdbProvider", "Watch", "WikidataProvider"]
