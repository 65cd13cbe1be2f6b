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
ADDONS = {"scrapy_poet.Addon": 300, "crawler.addons.PageLimits": 400}
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
    # A body whose Content-Encoding lies (gzip on plain bytes) is read as sent, not failed.
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": None,
    "crawler.middlewares.LenientCompressionMiddleware": 590,
    # Retry-After on 429/503 honoured (up to RETRY_AFTER_MAX); redirect loops logged at INFO.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.RetryAfterMiddleware": 550,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.middlewares.LoggedRedirectMiddleware": 600,
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
    "processors.admit.AdmitPipeline": 150,
    "processors.tag.TagPipeline": 200,
    "processors.store.StorePipeline": 300,
}
EXTENSIONS = {
    "feeds.extension.FeedsOnCrawlEnd": 500,
    "crawler.extensions.FinishReason": 505,
    "crawler.extensions.StatsFile": 510,
    "crawler.extensions.BackfillProgress": 520,
    "spidermon.contrib.scrapy.extensions.Spidermon": 530,
}
# Log lines carry their time with its offset (one zone: the machine's), one line per event.
LOG_DATEFORMAT = "%Y-%m-%dT%H:%M:%S%z"

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
# Rebuild the feeds behind the store when a crawl ends (`scrapy monitor` turns it off in its child
# crawls: it rebuilds them itself as articles land).
FEEDS_BUILD_ON_CRAWL_END = True
# A WebSub hub (https://…): each feed carries <link rel="hub"> and every changed feed is announced.
WEBSUB_HUB = None
# A feed entry's content is cut near this many characters (at a paragraph's end), with a line
# saying so that links to the article (issue 11: a 20 MB article must not make 20 MB entries).
FEED_ENTRY_MAX_CHARS = 50_000

# --- Faults and limits (README: "Faults and limits") ------------------------------------------
# Pages larger than MAX_PAGE_BYTES are not downloaded, and a warning is logged from a quarter of it
# (crawler.addons.PageLimits sets Scrapy's DOWNLOAD_MAXSIZE and DOWNLOAD_WARNSIZE from it, unless
# they are set themselves); `scrapy extract` / `scrapy tag` read no more of a file (more is one line
# saying so). An article's stored body is cut at MAX_BODY_CHARS (marked truncated), and so is what
# `scrapy extract` / `scrapy tag` read.
MAX_PAGE_BYTES = 32 * 1024 * 1024
MAX_BODY_CHARS = 100_000
# An article is admitted (processors.admission's rules, applied by processors.admit) when its text
# has under ADMIT_MAX_BAD_CHARS (a share) replacement or control characters, a letter in its first
# ADMIT_LETTERS_WITHIN characters, and a title; a rejected page is tried again by the next crawls,
# then given up after ADMIT_MAX_ATTEMPTS.
ADMIT_MAX_BAD_CHARS = 0.01
ADMIT_LETTERS_WITHIN = 2000
ADMIT_MAX_ATTEMPTS = 3
# The longest Retry-After (seconds) a 429 or 503 answer is waited for before its retry; a longer
# one is waited for this long.
RETRY_AFTER_MAX = 60

# --- `scrapy monitor` (README: "The monitor") -------------------------------------------------
# Seconds between crawls of a site (a site's `interval` in the catalogue wins), random extra delay
# (0-N seconds) so that sites are not hit on the dot, the spiders to run (empty: all).
MONITOR_INTERVAL = 1800
MONITOR_JITTER = 60
MONITOR_SPIDERS: list[str] = []
# Crawls running at once across sites; seconds a late run may still start; seconds after which a
# crawl is killed; seconds running crawls get to finish after SIGTERM.
MONITOR_CONCURRENCY = 2
MONITOR_MISFIRE_GRACE = 300
MONITOR_CRAWL_TIMEOUT = 3600
MONITOR_SHUTDOWN_GRACE = 30
# The JSON status (what /healthz answers), and the folder of the crawls' logs and stats files (the
# last MONITOR_LOGS_KEPT of each site are kept).
MONITOR_STATUS_FILE = "var/monitor.json"
MONITOR_CRAWLS_DIR = "var/crawls"
MONITOR_LOGS_KEPT = 5
# Feeds are rebuilt when articles land: the store is looked at every MONITOR_FEEDS_POLL seconds,
# and builds start at most every MONITOR_FEEDS_DEBOUNCE seconds, one at a time.
MONITOR_FEEDS_POLL = 0.25
MONITOR_FEEDS_DEBOUNCE = 1.0
# Health across crawls: a site with no articles in MONITOR_EMPTY_RUNS runs in a row, or whose share
# of site-specific extraction, dates or reporters falls below half its median over its last
# MONITOR_HISTORY_RUNS runs, is reported (log, /healthz, the monitor-health feed).
MONITOR_EMPTY_RUNS = 3
MONITOR_HISTORY_RUNS = 10
# The folder `scrapy monitor --mirror` serves (unset: the bundled mirror/).
MIRROR_DIR = None

# --- Spidermon: the checks every crawl runs on itself (crawler/monitors.py) ----------------------
SPIDERMON_ENABLED = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ["crawler.monitors.CrawlChecks"]
SPIDERMON_EXPECTED_FINISH_REASONS = ["finished"]
SPIDERMON_MAX_ERRORS = 0
SPIDERMON_ADD_FIELD_COVERAGE = True
SPIDERMON_FIELD_COVERAGE_SKIP_NONE = True  # every field of the item exists; None means "not found"
SPIDERMON_FIELD_COVERAGE_SKIP_FALSY = True  # and so does an empty list or text (no reporters, no body)
SPIDERMON_FIELD_COVERAGE_SKIP_IF_NO_ITEM = True  # a crawl that found nothing new has nothing to cover
SPIDERMON_FIELD_COVERAGE_RULES = {
    "Article/title": 0.9,
    "Article/body": 0.9,
    "Article/published": 0.5,
    "Article/reporters": 0.0,  # many sites never name them: watched against each site's history
}
SPIDERMON_MIN_ARTICLES_PER_PAGE = 0.5
