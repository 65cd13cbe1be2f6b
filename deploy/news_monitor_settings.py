"""Settings of the news monitor service (deploy/news-monitor.service): the project's own, and this
installation's. Install as /etc/news-monitor/news_monitor_settings.py and edit the values below
before the first start (FEEDS_BASE_URL and FEED_ID_AUTHORITY especially: the feeds' ids are fixed
at the first build). Every setting is explained in the README's Configuration table.
"""

from crawler.settings import *  # noqa: F403  (the project's settings, overridden below)

state = "/var/lib/news-monitor"  # the unit's StateDirectory (lower case: not a setting itself)

# The store: SQLite in the state folder, or PostgreSQL, e.g.
# "postgresql+psycopg://news-monitor@/news" (Unix socket, peer authentication; pip install
# regional-news-monitor[postgresql]).
DATABASE_URL = f"sqlite:///{state}/news.db"
FEEDS_DIR = f"{state}/feeds"
MONITOR_STATUS_FILE = f"{state}/monitor.json"

# The public address the feeds are read at (behind your reverse proxy), and the domain or e-mail
# address you own under which their tag-URI ids are minted; set both before the first build.
FEEDS_BASE_URL = "https://news.example.org/"
FEED_ID_AUTHORITY = "news.example.org"

# Articles kept for a year; news-monitor-maintenance.service prunes older ones daily (None: keep all).
STORE_RETENTION_DAYS = 365

# Journald adds its own time stamps; one line per event at INFO.
LOG_LEVEL = "INFO"
