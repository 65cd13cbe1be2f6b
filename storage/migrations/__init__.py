"""Alembic migrations of the article store, run by `scrapy db upgrade` (see ``storage.migrate``).

Each change to the tables is a new file in ``versions/``, revising the one before it: one line of
history, with a single head (a test checks it). ``script.py.mako`` is Alembic's template for them.
"""
