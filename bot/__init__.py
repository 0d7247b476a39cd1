"""kinoclub: a self-hosted Discord bot for film clubs."""

__version__ = "0.1.0"
