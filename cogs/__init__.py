"""Thin adapters: validate input, call bot/, render with bot/ui, reply. Every module here is a cog."""
