"""The monitor's memory in the store: the crawls it ran and the health events it published.

A restart reads from here when each site was last crawled (so its schedule resumes instead of
crawling everything again at once) and the last runs each health check compares a crawl with.
Both tables stay bounded: a site keeps its last :data:`RUNS_KEPT` runs, the store its last
:data:`EVENTS_KEPT` health events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select

from storage.schema import CrawlRunRow, HealthEventRow
from storage.store import ArticleStore

RUNS_KEPT = 100
EVENTS_KEPT = 500


@dataclass(frozen=True)
class StoredRun:
    """One crawl of a site, as the monitor recorded it."""

    site: str
    started: datetime
    finished: datetime
    outcome: str
    finish_reason: str | None = None
    exit_code: int | None = None
    data: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class HealthEvent:
    """A problem found with a site by one check (``state`` = problem), or its recovery."""

    site: str
    check: str
    state: str
    time: datetime
    message: str
    id: int = 0


def record_run(store: ArticleStore, run: StoredRun, keep: int = RUNS_KEPT) -> None:
    """Store *run*, and forget the site's runs older than its last *keep*."""
    with store.transaction(writes=True) as session:
        session.add(
            CrawlRunRow(
                site=run.site,
                started=run.started,
                finished=run.finished,
                outcome=run.outcome,
                finish_reason=run.finish_reason,
                exit_code=run.exit_code,
                data=run.data,
            )
        )
        session.flush()
        kept = (
            select(CrawlRunRow.id)
            .where(CrawlRunRow.site == run.site)
            .order_by(CrawlRunRow.started.desc(), CrawlRunRow.id.desc())
            .limit(keep)
        )
        session.execute(delete(CrawlRunRow).where(CrawlRunRow.site == run.site, CrawlRunRow.id.not_in(kept)))


def last_runs(store: ArticleStore, site: str, limit: int) -> list[StoredRun]:
    """The last *limit* runs of *site*, newest first."""
    query = (
        select(CrawlRunRow)
        .where(CrawlRunRow.site == site)
        .order_by(CrawlRunRow.started.desc(), CrawlRunRow.id.desc())
        .limit(limit)
    )
    with store.transaction() as session:
        return [_run(row) for row in session.scalars(query)]


def last_started(store: ArticleStore) -> dict[str, datetime]:
    """When the last recorded crawl of each site started."""
    query = select(CrawlRunRow.site, func.max(CrawlRunRow.started)).group_by(CrawlRunRow.site)
    with store.transaction() as session:
        return {site: started for site, started in session.execute(query)}


def add_event(store: ArticleStore, event: HealthEvent, keep: int = EVENTS_KEPT) -> HealthEvent:
    """Store *event* (with its new id, returned), and forget all but the last *keep* events."""
    with store.transaction(writes=True) as session:
        row = HealthEventRow(
            site=event.site, check=event.check, state=event.state, time=event.time, message=event.message
        )
        session.add(row)
        session.flush()
        kept = select(HealthEventRow.id).order_by(HealthEventRow.id.desc()).limit(keep)
        session.execute(delete(HealthEventRow).where(HealthEventRow.id.not_in(kept)))
        return _event(row)


def events(store: ArticleStore, limit: int) -> list[HealthEvent]:
    """The last *limit* health events, newest first."""
    query = select(HealthEventRow).order_by(HealthEventRow.id.desc()).limit(limit)
    with store.transaction() as session:
        return [_event(row) for row in session.scalars(query)]


def open_problems(store: ArticleStore) -> dict[tuple[str, str], HealthEvent]:
    """The problems not yet recovered from, by (site, check): each pair's last event, if a problem."""
    latest = select(func.max(HealthEventRow.id)).group_by(HealthEventRow.site, HealthEventRow.check)
    query = select(HealthEventRow).where(HealthEventRow.id.in_(latest), HealthEventRow.state == "problem")
    with store.transaction() as session:
        return {(row.site, row.check): _event(row) for row in session.scalars(query)}


def _run(row: CrawlRunRow) -> StoredRun:
    return StoredRun(
        row.site, row.started, row.finished, row.outcome, row.finish_reason, row.exit_code, row.data
    )


def _event(row: HealthEventRow) -> HealthEvent:
    return HealthEvent(row.site, row.check, row.state, row.time, row.message, row.id)
