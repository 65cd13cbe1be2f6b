"""What one child crawl came to, read from its exit status and the stats file it wrote.

A crawl is ``finished`` only when it exited 0 with the finish reason ``finished`` and at least one
request was answered; a crawl whose requests all failed (site down, DNS error, every page 5xx) or
that ended with another finish reason or a nonzero exit is ``failed``; one that left no stats file
``crashed``; one the monitor killed at its time limit (or that closed itself at
``CLOSESPIDER_TIMEOUT``) ``timeout``; one ended by a signal from elsewhere ``killed``; one the
monitor's shutdown ended ``stopped`` (which says nothing of the site: the health checks skip it).
"""

from __future__ import annotations

import signal
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from core import crawl_stats
from storage.runs import StoredRun

SHARES = ("site_specific", "dated", "reporters")
"""The shares of a crawl's articles watched against the site's history (``monitor.health``)."""


@dataclass
class CrawlRun:
    """One crawl of a site by the monitor."""

    site: str
    started: datetime
    finished: datetime
    outcome: str
    finish_reason: str | None = None
    exit_code: int | None = None
    message: str = ""
    """Why a crawl that did not finish well did not (one line)."""
    new: int = 0
    updated: int = 0
    articles: int = 0
    """Articles the crawl extracted (new, updated or unchanged)."""
    article_pages: int = 0
    article_links: int = 0
    """Article links its list pages gave, stored ones included."""
    list_pages: int = 0
    requests: int = 0
    request_errors: int = 0
    """Requests that failed: download errors and 5xx answers."""
    shares: dict[str, float] = field(default_factory=dict)
    """Of its articles: read by the site's own page object, with a date, with reporters."""
    checks_failed: list[str] = field(default_factory=list)
    """The crawl's own Spidermon checks that failed."""
    peak_memory: int | None = None
    """The child's peak resident memory in bytes."""
    log: str = ""

    @property
    def duration(self) -> float:
        return (self.finished - self.started).total_seconds()

    @property
    def ok(self) -> bool:
        return self.outcome == "finished"

    @property
    def judged(self) -> bool:
        """Whether the run says anything of the site (one the monitor's shutdown ended does not)."""
        return self.outcome != "stopped"

    @property
    def empty(self) -> bool:
        """It yielded no article although it should have: the list pages it read linked to none, or
        the article pages it fetched gave none (a crawl of known articles only is not empty, nor
        one whose list pages were all unchanged: answered 304, they were not read)."""
        linked_none = self.list_pages > 0 and self.article_links == 0
        return self.ok and self.articles == 0 and (self.article_pages > 0 or linked_none)

    def stored(self) -> StoredRun:
        data = {
            key: value
            for key, value in asdict(self).items()
            if key not in ("site", "started", "finished", "outcome", "finish_reason", "exit_code")
        }
        return StoredRun(
            self.site, self.started, self.finished, self.outcome, self.finish_reason, self.exit_code, data
        )

    @classmethod
    def from_stored(cls, run: StoredRun) -> CrawlRun:
        known = set(cls.__dataclass_fields__)
        data = {key: value for key, value in run.data.items() if key in known}
        return cls(run.site, run.started, run.finished, run.outcome, run.finish_reason, run.exit_code, **data)


def classify(
    stats: Mapping[str, Any] | None, exit_code: int | None, *, timed_out: bool = False, stopped: bool = False
) -> tuple[str, str]:
    """The outcome of a crawl and why, from its *stats* (None: it wrote none) and *exit_code*
    (negative: the signal that ended it); *timed_out*: the monitor killed it at its time limit;
    *stopped*: the monitor's shutdown did."""
    reason = (stats or {}).get("finish_reason")
    if timed_out or reason == "closespider_timeout":
        return "timeout", "killed at its time limit" if timed_out else "closed itself at CLOSESPIDER_TIMEOUT"
    if stopped:
        return "stopped", "stopped by the monitor's shutdown"
    if exit_code is not None and exit_code < 0:
        return "killed", f"ended by signal {signal_name(-exit_code)}"
    if stats is None:
        return "crashed", f"exited with status {exit_code} and no stats"
    if reason != "finished":
        meaning = f" ({crawl_stats.FAILURES[reason]})" if reason in crawl_stats.FAILURES else ""
        status = f", exit status {exit_code}" if exit_code else ""
        return "failed", f"finish reason {reason!r}{meaning}{status}"
    if exit_code:
        return "failed", f"exit status {exit_code}"
    requests = stats.get("downloader/request_count", 0)
    if requests and not crawl_stats.answered(stats):
        return (
            "failed",
            f"every request failed ({crawl_stats.request_errors(stats)} errors of {requests} requests)",
        )
    return "finished", ""


def shares(stats: Mapping[str, Any]) -> dict[str, float]:
    """Of the crawl's articles, the shares read by the site's own page object, with a date, with
    reporters (none if it extracted none): Spidermon's field coverage and the cleaning's flags."""
    items = stats.get("item_scraped_count", 0)
    if not items:
        return {}
    generic = stats.get("clean/quality/generic_extraction", 0)
    return {
        "site_specific": round(max(0.0, 1 - generic / items), 4),
        "dated": round(stats.get("spidermon_field_coverage/Article/published", 0.0), 4),
        "reporters": round(stats.get("spidermon_field_coverage/Article/reporters", 0.0), 4),
    }


def crawl_run(
    site: str,
    started: datetime,
    finished: datetime,
    stats: Mapping[str, Any] | None,
    exit_code: int | None,
    *,
    timed_out: bool = False,
    stopped: bool = False,
    log: str = "",
) -> CrawlRun:
    """The :class:`CrawlRun` of a child crawl that has ended."""
    outcome, message = classify(stats, exit_code, timed_out=timed_out, stopped=stopped)
    stats = stats or {}
    return CrawlRun(
        site=site,
        started=started,
        finished=finished,
        outcome=outcome,
        finish_reason=stats.get("finish_reason"),
        exit_code=exit_code,
        message=message,
        new=stats.get("store/new", 0),
        updated=stats.get("store/updated", 0),
        articles=stats.get("item_scraped_count", 0),
        article_pages=crawl_stats.article_pages(stats),
        article_links=crawl_stats.article_links(stats),
        list_pages=crawl_stats.list_pages(stats),
        requests=stats.get("downloader/request_count", 0),
        request_errors=crawl_stats.request_errors(stats),
        shares=shares(stats),
        checks_failed=list(stats.get(crawl_stats.CHECKS_FAILED, [])),
        peak_memory=stats.get(crawl_stats.PEAK_MEMORY),
        log=log,
    )


def signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return str(number)
