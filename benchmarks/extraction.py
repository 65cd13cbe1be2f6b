"""Benchmark: our extraction beside trafilatura and GNE on tests/data/cwce/, in one run.

Those 35 pages are the DEV SET: the generic extractor was developed on them, so its figures here
are dev-set figures, not a measure on unseen pages (the other half of the dataset, kept outside
the project, is that).

Body text is scored as in the scrapinghub article-extraction-benchmark, with characters as tokens:
all white space removed, then multiset precision/recall/F1 of character 4-grams, per page, averaged
over pages. Dates count when they fall on the same calendar day as the ground truth, over the pages
whose ground truth has a full date (``UNKNOWN``/``UNKNWON``/``2018``/``1998-3`` have none).

    pip install -e .[bench]
    python benchmarks/extraction.py [--raw] [--per-page] [--only ours]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "cwce"
NGRAM = 4
URL = "http://cwce.invalid/{page_id}.html"
"""The dataset keeps no URLs; every extractor gets the same placeholder, so none learns a date from it."""

sys.path.insert(0, str(ROOT))

from core.dates import parse_datetime  # noqa: E402
from crawler.encoding import decode_html  # noqa: E402

Extractor = Callable[[bytes, str], tuple[str, date | None]]
"""(page bytes, url) → (body text, publication day or None)."""


@dataclass
class Case:
    page_id: str
    html: bytes
    body: str
    day: date | None


@dataclass
class Result:
    name: str
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    f1: list[float] = field(default_factory=list)
    dates: list[bool] = field(default_factory=list)
    seconds: float = 0.0
    pages: list[tuple[str, float, bool | None]] = field(default_factory=list)


def load_cases(data: Path = DATA) -> list[Case]:
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Case(page_id, (data / f"{page_id}.html").read_bytes(), label["body"], day_of(label.get("date")))
        for page_id, label in sorted(truth.items())
    ]


def day_of(text: str | None) -> date | None:
    """The calendar day a date text names, if it names a full one."""
    parsed = parse_datetime(text)
    return parsed.date() if parsed else None


def shingles(text: str, n: int = NGRAM) -> Counter[str]:
    chars = re.sub(r"\s+", "", text)
    return Counter(chars[i : i + n] for i in range(max(len(chars) - n + 1, 0)))


def prf(truth: str, predicted: str) -> tuple[float, float, float]:
    """Multiset precision, recall and F1 of character n-grams."""
    expected, got = shingles(truth), shingles(predicted)
    if not expected and not got:
        return 1.0, 1.0, 1.0
    overlap = sum((expected & got).values())
    precision = overlap / sum(got.values()) if got else 0.0
    recall = overlap / sum(expected.values()) if expected else 0.0
    f1 = 2 * precision * recall / (precision + recall) if overlap else 0.0
    return precision, recall, f1


def run(name: str, extractor: Extractor, cases: list[Case]) -> Result:
    result = Result(name)
    extractor(cases[0].html, URL.format(page_id=cases[0].page_id))  # warm-up: imports, caches
    for case in cases:
        start = time.perf_counter()
        text, day = extractor(case.html, URL.format(page_id=case.page_id))
        result.seconds += time.perf_counter() - start
        precision, recall, f1 = prf(case.body, text)
        result.precision.append(precision)
        result.recall.append(recall)
        result.f1.append(f1)
        correct = None if case.day is None else day == case.day
        if correct is not None:
            result.dates.append(correct)
        result.pages.append((case.page_id, f1, correct))
    return result


def ours_full(html: bytes, url: str) -> tuple[str, date | None]:
    from crawler.commands._documents import extract_document

    article = extract_document(html, url=url)
    return article.body, article.published.date() if article.published else None


def ours_raw(html: bytes, url: str) -> tuple[str, date | None]:
    from crawler.pages.base import response_from_bytes, to_item_now
    from crawler.pages.generic import GenericArticlePage

    raw = to_item_now(GenericArticlePage(response_from_bytes(html, url)))
    return "\n".join(raw.body_lines), day_of(raw.published_raw)


def trafilatura_extractor(html: bytes, url: str) -> tuple[str, date | None]:
    import trafilatura

    document = trafilatura.bare_extraction(decode_html(html)[0], url=url, with_metadata=True)
    if document is None:
        return "", None
    return document.text or "", day_of(document.date)


def gne_extractor(html: bytes, url: str) -> tuple[str, date | None]:
    from gne import GeneralNewsExtractor

    result = GeneralNewsExtractor().extract(decode_html(html)[0])
    return result.get("content") or "", day_of(result.get("publish_time"))


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def extractors(raw: bool) -> dict[str, Extractor]:
    ours = ("ours (GenericArticlePage)", ours_raw) if raw else ("ours (extract_document)", ours_full)
    found: dict[str, Extractor] = {ours[0]: ours[1]}
    if version("trafilatura") != "not installed":
        found[f"trafilatura {version('trafilatura')}"] = trafilatura_extractor
    if version("gne") != "not installed":
        found[f"gne {version('gne')}"] = gne_extractor
    return found


def table(results: list[Result], cases: list[Case]) -> str:
    dated = sum(case.day is not None for case in cases)
    lines = [
        f"cwce-dev, the DEV SET (developed on): {len(cases)} pages, {dated} with a dated ground truth; "
        f"body: char {NGRAM}-gram multiset, mean over pages",
        f"{'extractor':<28}{'precision':>10}{'recall':>8}{'F1':>8}{'date':>8}{'ms/page':>9}",
    ]
    for result in results:
        lines.append(
            f"{result.name:<28}{statistics.mean(result.precision):>10.3f}{statistics.mean(result.recall):>8.3f}"
            f"{statistics.mean(result.f1):>8.3f}{statistics.mean(result.dates):>8.3f}"
            f"{1000 * result.seconds / len(cases):>9.1f}"
        )
    return "\n".join(lines)


def per_page(results: list[Result]) -> str:
    header = "page     " + "".join(f"{r.name[:18]:>20}" for r in results)
    rows = [header]
    for index, (page_id, _, _) in enumerate(results[0].pages):
        cells = []
        for result in results:
            _, f1, correct = result.pages[index]
            mark = {None: " ", True: "d", False: "x"}[correct]
            cells.append(f"{f1:>18.3f} {mark}")
        rows.append(f"{page_id[:8]} " + "".join(cells))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", action="store_true", help="measure the GenericArticlePage alone")
    parser.add_argument("--per-page", action="store_true", help="also print F1 and date (d/x) per page")
    parser.add_argument("--only", help="run only extractors whose name starts with this")
    args = parser.parse_args(argv)

    cases = load_cases()
    chosen = {n: e for n, e in extractors(args.raw).items() if not args.only or n.startswith(args.only)}
    results = [run(name, extractor, cases) for name, extractor in chosen.items()]
    print(table(results, cases))
    if args.per_page:
        print()
        print(per_page(results))


if __name__ == "__main__":
    main()
