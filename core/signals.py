"""Signals of this project, sent and received through the crawler's signal manager like Scrapy's own."""

article_stored = object()
"""Sent by the store pipeline for a new or changed article: ``article`` (the stored
``Article``), ``result`` (``"new"`` or ``"updated"``), ``previous_tags`` (its tags before)."""
