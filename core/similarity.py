"""How alike two articles' texts are: the measure that tells a syndicated copy from another story.

Two reports are compared on their normalised simplified body (the headline left out: copies edit
it): NFKC-folded, lower-cased, every character but letters, digits and Han dropped (punctuation,
white space), then cut into overlapping runs of :data:`SHINGLE` characters. Their likeness is the
Jaccard similarity of those two sets. A MinHash signature of the set (``datasketch``), cut into
LSH bands, finds the candidates quickly: two texts share a band key with a probability that rises
steeply with their likeness; the store keeps each article's band keys and computes the likeness
exactly for the few candidates they find (``storage.stories``). Why 5 characters, and which
likeness makes a copy: README, *Syndicated copies*, measured by ``benchmarks/stories.py``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from functools import cache

from datasketch import MinHash, MinHashLSH

SHINGLE = 5
"""Characters per shingle: long enough that two independent reports of one meeting (the same names,
places and dates) share few, short enough that a copy's small edits break few."""
MIN_CHARACTERS = 50
"""A text shorter than this (normalised) is never taken for a copy: too few shingles to tell."""
SAME_STORY = 0.5
"""The least likeness of two copies of one story: copies on the mirrors measure 0.85-1.0 (an edited
headline and a trimmed last paragraph included), independent reports of one event at most 0.11."""
NUM_PERM = 128
"""MinHash permutations: the signature's length."""
LSH_THRESHOLD = 0.3
"""The likeness around which LSH's banding turns from missing to finding (datasketch chooses the
bands for it: 37 bands of 3 rows), well under :data:`SAME_STORY`: a pair at 0.5 is a candidate
with a probability of 0.99, one at 0.1 with 0.05 (and is then told apart exactly)."""
MINHASH_SEED, MINHASH_SCHEME = 1, "affine32"
"""Fixed, so that the band keys stored by an earlier crawl (or datasketch version) still match."""
NOT_TEXT = re.compile(r"[^0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def body_of(simplified: str) -> str:
    """The body of an article's ``body_simplified`` (its first line is the headline)."""
    return simplified.partition("\n")[2]


def normalized(text: str) -> str:
    """*text* (simplified Chinese) as compared: NFKC, lower case, letters, digits and Han only."""
    return NOT_TEXT.sub("", unicodedata.normalize("NFKC", text).lower())


def shingles(text: str, size: int = SHINGLE) -> frozenset[str]:
    """The runs of *size* characters of the normalised *text*; empty when it is too short to compare."""
    text = normalized(text)
    if len(text) < MIN_CHARACTERS:
        return frozenset()
    return frozenset(text[start : start + size] for start in range(len(text) - size + 1))


def jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    """|A ∩ B| / |A ∪ B| (0 when either is empty)."""
    if not first or not second:
        return 0.0
    common = len(first & second)
    return common / (len(first) + len(second) - common)


def signature(shingled: Iterable[str]) -> MinHash:
    """The MinHash signature of a set of shingles."""
    minhash = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME)
    minhash.update_batch([shingle.encode("utf-8") for shingle in shingled])
    return minhash


@cache
def band_ranges() -> tuple[tuple[int, int], ...]:
    """Where each LSH band lies in a signature, as ``datasketch.MinHashLSH`` cuts it for
    :data:`LSH_THRESHOLD` (a band's rows must all agree for two signatures to meet)."""
    return tuple(MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM).hashranges)


def band_keys(minhash: MinHash) -> list[int]:
    """One key per LSH band of *minhash*, a signed 64-bit integer (a database column): two texts
    are candidates when any of their keys agree. The band's number is hashed in, so that equal
    values in different bands do not meet."""
    values = minhash.hashvalues
    return [
        int.from_bytes(
            hashlib.blake2b(
                values[start:end].astype("<u8").tobytes(), digest_size=8, person=band.to_bytes(8, "big")
            ).digest(),
            "big",
            signed=True,
        )
        for band, (start, end) in enumerate(band_ranges())
    ]
