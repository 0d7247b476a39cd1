"""Film knowledge: text normalisation, search ranking, bundled data. Never imports discord."""
