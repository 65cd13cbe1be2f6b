"""A site's health, judged from its last crawls (newest first), and the events its changes make.

The checks, each named as its events and ``/healthz`` name it:

- ``empty``: the site yielded no article in ``MONITOR_EMPTY_RUNS`` crawls in a row (crawls that
  found only stored articles are not empty, and failed crawls do not count either way);
- ``failing``: its last ``MONITOR_EMPTY_RUNS`` crawls all failed (site down, crash, time limit);
- ``list_pages``: its list pages were fetched but linked to no article (their layout changed);
- ``share:site_specific``, ``share:dated``, ``share:reporters``: the share of its articles read by
  its own page object, with a date or with reporters fell below half its median over its last
  ``MONITOR_HISTORY_RUNS`` crawls (only crawls of at least :data:`MIN_ARTICLES` articles are
  compared, so that one article's luck is no trend).

A problem is announced when it appears and its recovery when it is gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from statistics import median

from monitor.outcome import SHARES, CrawlRun
from storage.runs import HealthEvent

MIN_ARTICLES = 3
MIN_HISTORY = 3
SHARE_LABELS = {
    "site_specific": "read by the site's own page object",
    "dated": "with a date",
    "reporters": "with reporters",
}


@dataclass(frozen=True)
class HealthRules:
    runs_in_a_row: int = 3
    """``MONITOR_EMPTY_RUNS``."""
    history: int = 10
    """``MONITOR_HISTORY_RUNS``."""


def leading(runs: list[CrawlRun], test) -> int:
    """How many of *runs*, from the newest, pass *test* before one does not."""
    count = 0
    for run in runs:
        if not test(run):
            break
        count += 1
    return count


def consecutive_empty(runs: list[CrawlRun]) -> int:
    """Empty crawls in a row, from the newest (failed crawls skipped)."""
    return leading([run for run in runs if run.ok], lambda run: run.empty)


def failing(runs: list[CrawlRun]) -> int:
    """Failed crawls in a row, from the newest (crawls stopped by the monitor's shutdown skipped)."""
    return leading([run for run in runs if run.judged], lambda run: not run.ok)


def problems(runs: list[CrawlRun], rules: HealthRules) -> dict[str, str]:
    """The site's problems by check, with a message each, judged from *runs* (newest first)."""
    found: dict[str, str] = {}
    failed = failing(runs)
    if failed >= rules.runs_in_a_row:
        last = next(run for run in runs if run.judged)
        found["failing"] = f"{failed} crawls in a row failed, the last: {last.outcome}, {last.message}"
    finished = [run for run in runs if run.ok]
    empty = consecutive_empty(runs)
    if empty >= rules.runs_in_a_row:
        last = finished[0]
        found["empty"] = (
            f"no articles in {empty} crawls in a row (the last: {last.article_links} article links, "
            f"{last.article_pages} article pages fetched, 0 articles)"
        )
    if finished and finished[0].list_pages and not finished[0].article_links:
        found["list_pages"] = (
            f"its {finished[0].list_pages} list pages linked to no article: has their layout changed?"
        )
    found.update(share_problems([run for run in finished if run.articles >= MIN_ARTICLES], rules))
    return found


def share_problems(productive: list[CrawlRun], rules: HealthRules) -> dict[str, str]:
    if len(productive) <= MIN_HISTORY:
        return {}
    current, history = productive[0], productive[1 : 1 + rules.history]
    found = {}
    for share in SHARES:
        past = [run.shares[share] for run in history if share in run.shares]
        if len(past) < MIN_HISTORY or share not in current.shares:
            continue
        typical, now = median(past), current.shares[share]
        if now < typical / 2:
            found[f"share:{share}"] = (
                f"{now:.0%} of its articles {SHARE_LABELS[share]}, below half its median "
                f"({typical:.0%}) over its last {len(past)} crawls"
            )
    return found


def changes(site: str, before: dict[str, str], now: dict[str, str], time: datetime) -> list[HealthEvent]:
    """The events that take a site from the problems *before* (check → message) to those *now*."""
    appeared = [
        HealthEvent(site, check, "problem", time, now[check]) for check in sorted(now.keys() - before)
    ]
    gone = [
        HealthEvent(site, check, "recovered", time, f"recovered ({check}): was {before[check]}")
        for check in sorted(before.keys() - now)
    ]
    return appeared + gone
