"""Signals of this project, sent through ``crawler.signals`` like Scrapy's own."""

article_stored = object()
"""Sent by the store pipeline for a new or changed article: ``article`` (the stored
``Article``), ``result`` (``"new"`` or ``"updated"``), ``previous_tags`` (its tags before)."""
