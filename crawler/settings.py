"""Scrapy settings of the regional news monitor.

Every component reads its configuration from here through ``crawler.settings``; override any of
them per run with ``scrapy crawl qzwb -s NAME=value``.
"""

from scrapy_poet.page_input_providers import HttpResponseProvider

BOT_NAME = "regional-news-monitor"

SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
# One spider per site of the catalogue (data/sites.yaml + SITES_FILES), no class written per site.
SPIDER_LOADER_CLASS = "crawler.spiders.loader.SiteSpiderLoader"
COMMANDS_MODULE = "crawler.commands"

# Page objects (web-poet), injected into the spiders' callbacks by scrapy-poet: the rules of every
# module of crawler.pages pick a site's own page object by URL, else the generic extractor.
ADDONS = {"scrapy_poet.Addon": 300}
SCRAPY_POET_DISCOVER = ["crawler.pages"]
SCRAPY_POET_PROVIDERS = {
    HttpResponseProvider: None,  # keyed by class, as scrapy-poet's own defaults are
    "crawler.pages.providers.DecodedHttpResponseProvider": 500,
}
# `scrapy savefixture <page object> <URL>` writes its web-poet test fixtures here.
SCRAPY_POET_TESTS_DIR = "tests/fixtures"

# Polite by default: these are small regional newsrooms.
USER_AGENT = "regional-news-monitor/0.1 (+https://github.com/regional-news-monitor; Scrapy)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
HTTPCACHE_ENABLED = False

# No control surface a crawler does not need: Scrapy's telnet console and remote control listen
# on local ports by default.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
FEED_EXPORT_ENCODING = "utf-8"

DOWNLOAD_HANDLERS = {
    "http": "crawler.downloader.MirrorDownloadHandler",
    "https": "crawler.downloader.MirrorDownloadHandler",
}
DOWNLOADER_MIDDLEWARES = {
    # process_response runs from the highest number down: after HttpCompressionMiddleware (590)
    # has decompressed the body, before MetaRefreshMiddleware (580) and scrapy-poet (543) read it.
    "crawler.middlewares.EncodingMiddleware": 585,
    # A meta refresh to another site (an e-paper edition) is not followed: the page is kept.
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.OnSiteMetaRefreshMiddleware": 580,
    # List pages asked for only if they changed (If-None-Match / If-Modified-Since, 304).
    "crawler.middlewares.ConditionalGetMiddleware": 560,
}
SPIDER_MIDDLEWARES = {
    "crawler.middlewares.KnownArticlesMiddleware": 50,
}
ITEM_PIPELINES = {
    "processors.clean.CleanPipeline": 100,
    "processors.tag.TagPipeline": 200,
    "processors.store.StorePipeline": 300,
}
EXTENSIONS = {
    "feeds.extension.FeedsOnCrawlEnd": 500,
    "crawler.extensions.StatsFile": 510,
    "crawler.extensions.BackfillProgress": 520,
}

# --- Project settings ---------------------------------------------------------------------
# Fetch every page from the local mirror at this URL instead of the real site (items keep the
# real URLs). Unset: the real sites. `make demo` and the tests set it.
MIRROR_URL = None
# How many pages of one channel list to follow (1 = the first page only); a backfill,
# `scrapy crawl <site> -a pages=N`, follows N instead and logs its progress every
# BACKFILL_PROGRESS_INTERVAL seconds (0: never).
MAX_LIST_PAGES = 3
BACKFILL_PROGRESS_INTERVAL = 5.0
# How many pages of one multi-page article to fetch and join.
MAX_ARTICLE_PAGES = 10
# Re-fetch articles the store already holds (to catch edits); off: they are never requested.
REFETCH_KNOWN = False
# Ask for list pages with the validators their server sent last time (ETag, Last-Modified, kept in
# the store): an unchanged list is answered 304 and costs nothing. Off with REFETCH_KNOWN.
CONDITIONAL_GET = True
# Where articles are stored: SQLite, or PostgreSQL (postgresql+psycopg://user@host/db).
DATABASE_URL = "sqlite:///var/news.db"
# Days an article is kept (by its publication, else when first seen): `scrapy db prune` deletes
# older ones, and a crawl does not store them. None: keep every article.
STORE_RETENTION_DAYS = None
# Where the Atom feeds are written, and the public URL they are served under (their rel="self"
# links and the OPML's); unset: the files say http://127.0.0.1:8080/ and the feed server answers
# with the address it was reached at.
FEEDS_DIR = "var/feeds"
FEEDS_BASE_URL = None
# The function that tells the feeds every tag value, its readable name and a city's province.
FEEDS_TAG_VOCABULARY = "processors.vocabulary.tag_vocabulary"
# The authority of the feeds' tag URIs (RFC 4151: a domain or e-mail address you own); unset: the
# host of FEEDS_BASE_URL. Recorded in the store at the first build: later changes change no id.
FEED_ID_AUTHORITY = None
# Data files of your own merged over the packaged ones in data/ (lists of paths): sites, feed
# kinds, boilerplate rules, initiatives; PLACES_DIR replaces the gazetteer folder (data/places/).
SITES_FILES: list[str] = []
FEEDS_FILES: list[str] = []
BOILERPLATE_FILES: list[str] = []
INITIATIVES_FILES: list[str] = []
PLACES_DIR = None
# Write the crawl's stats as JSON here when a crawl ends (unset: don't).
STATS_FILE = None
# `scrapy monitor`: seconds between rounds of crawls, random extra delay (0-N seconds) so that
# sites are not hit on the dot, the spiders to run (empty: all), where to write its status.
MONITOR_INTERVAL = 1800
MONITOR_JITTER = 60
MONITOR_SPIDERS: list[str] = []
MONITOR_STATUS_FILE = "var/monitor.json"
