"""Persistent content: the site, folders and content types (no view code)."""
