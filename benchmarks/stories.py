"""Syndicated copies against independent reports: how alike each pair of mirror articles is.

Every article of the mirrors' expected data (``tests/data/mirror_expected``), extracted and cleaned
as a crawl does, compared on its normalised simplified body (``core.similarity``): the pairs that
are one story (a copy and its original), the hard negatives (two outlets' own reports of one
event: same city, people and date), and every other pair. For each: the exact Jaccard likeness of
the 5-character shingles, the MinHash estimate, whether the store's LSH band keys make the pair a
candidate, and whether datasketch's own ``MinHashLSH`` (same threshold, in memory) returns it, so
the threshold :data:`~core.similarity.SAME_STORY` is shown to fall between the two groups.

    python benchmarks/stories.py
"""

from __future__ import annotations

import statistics
import sys
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datasketch import MinHashLSH  # noqa: E402

from core.similarity import (  # noqa: E402
    LSH_THRESHOLD,
    NUM_PERM,
    SAME_STORY,
    band_keys,
    body_of,
    jaccard,
    shingles,
    signature,
)
from storage.stories import StoryKey  # noqa: E402
from tests.mirror_stories import copy_pairs, hard_negatives, mirror_articles  # noqa: E402

YES = {True: "yes", False: "no"}


def main() -> None:
    articles = mirror_articles()
    shingled = {url: shingles(body_of(found.article.body_simplified)) for url, found in articles.items()}
    minhashes = {url: signature(found) for url, found in shingled.items() if found}
    bands = {url: set(band_keys(minhash)) for url, minhash in minhashes.items()}
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    for url, minhash in minhashes.items():
        lsh.insert(url, minhash)

    def row(first: str, second: str) -> tuple[float, float, bool, bool]:
        return (
            jaccard(shingled[first], shingled[second]),
            minhashes[first].jaccard(minhashes[second]),
            bool(bands[first] & bands[second]),
            second in lsh.query(minhashes[first]),
        )

    url_of = {id(found): url for url, found in articles.items()}
    groups = {
        "one story (copy, original)": [(url_of[id(a)], url_of[id(b)]) for a, b in copy_pairs()],
        "hard negative (same event)": [(url_of[id(a)], url_of[id(b)]) for a, b in hard_negatives()],
    }
    named = {frozenset(pair) for pairs in groups.values() for pair in pairs}
    others = [pair for pair in combinations(sorted(minhashes), 2) if frozenset(pair) not in named]

    print(
        f"{len(articles)} mirror articles; same story at Jaccard >= {SAME_STORY}; "
        f"LSH threshold {LSH_THRESHOLD}"
    )
    print(f"{'pair':62} {'Jaccard':>8} {'MinHash':>8} {'ours':>5} {'datasketch LSH':>15}")
    for name, pairs in groups.items():
        print(name)
        for first, second in pairs:
            exact, estimate, ours, theirs = row(first, second)
            label = f"{articles[first].article.id} ~ {articles[second].article.id}"
            found = f"{YES[ours]:>5} {YES[theirs]:>15}"
            print(f"  {label:60} {exact:8.3f} {estimate:8.3f} {found}")
    rows = [row(*pair) for pair in others]
    print(f"every other pair ({len(rows)})")
    highest, alike = max(r[0] for r in rows), sum(r[0] >= SAME_STORY for r in rows)
    print(f"  highest Jaccard {highest:.3f}, at or over {SAME_STORY}: {alike}")
    ours, theirs = sum(r[2] for r in rows), sum(r[3] for r in rows)
    print(f"  candidates by our band keys: {ours}, by datasketch's MinHashLSH: {theirs}")

    keyed = [found.article for found in articles.values()]
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for article in keyed:
            StoryKey.of(article, True)
        runs.append((time.perf_counter() - start) / len(keyed) * 1000)
    print(
        f"story key (shingles, MinHash of {NUM_PERM}, band keys) per article: "
        f"{min(runs):.2f}-{max(runs):.2f} ms (median {statistics.median(runs):.2f})"
    )


if __name__ == "__main__":
    main()
