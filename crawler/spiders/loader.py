"""One spider per site of the catalogue, with no Python class written for any of them.

``scrapy list`` and ``scrapy crawl <site>`` see a spider for every entry of ``data/sites.yaml`` and
of the files named by ``SITES_FILES``: a subclass of :class:`~crawler.spiders.news.NewsSpider`
made here, carrying its :class:`~core.sites.Site`. Spiders written by hand in ``SPIDER_MODULES``
are found as usual and win over a catalogue entry of the same name. The catalogue's page-object
rules (a ``page_object`` of the user's, or ``selectors``) are registered here, before any crawl.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings
from scrapy.spiderloader import SpiderLoader

from core.data import DataFileError
from core.sites import Site, load_sites
from crawler.pages.rules import register_site_rules
from crawler.spiders.news import NewsSpider


def site_spider(site: Site) -> type[NewsSpider]:
    """The spider class of *site*."""
    name = "".join(part.title() for part in site.key.split("_")) + "Spider"
    doc = f"{site.name}: {', '.join(site.start_urls)}"
    return type(name, (NewsSpider,), {"name": site.key, "site": site, "__doc__": doc, "__module__": __name__})


class SiteSpiderLoader(SpiderLoader):
    """Scrapy's spider loader, plus a spider per catalogue entry.

    A catalogue that cannot be used (an unknown key, a regex that does not compile, a missing start
    URL, a page object that does not load) stops the command (`scrapy list`, `scrapy crawl`, `scrapy
    monitor`) before anything runs, with one line naming the file, the entry and the key.
    """

    def __init__(self, settings: BaseSettings) -> None:
        try:
            self.sites = load_sites(settings.getlist("SITES_FILES"))
            register_site_rules(self.sites.values())
        except DataFileError as error:
            raise SystemExit(f"site catalogue: {error}") from None
        super().__init__(settings)

    def _load_all_spiders(self) -> None:
        super()._load_all_spiders()
        for key, site in self.sites.items():
            if key not in self._spiders:
                self._spiders[key] = site_spider(site)
