"""Embeds, views and choices built from the store's dataclasses; Discord's size limits are kept here."""
