"""Spiders: one per site, made from the site catalogue by ``crawler.spiders.loader``."""
