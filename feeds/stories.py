"""One feed entry per story: the syndicated copies of a report are shown as one entry.

A feed's newest articles come from the store one by one; the articles of a story shared with
others (``storage.stories``) are replaced by the story, under the story's id (its first-stored
article's, so the entry keeps its id when a copy arrives) and the story's ``updated`` (which a copy
arriving moves), and shown once, where its newest article stands.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from storage.store import EntryHead


def one_per_story(heads: list[EntryHead], stories: Mapping[str, tuple[str, datetime]]) -> list[EntryHead]:
    """*heads* with each article of a shared story (*stories*: its id and ``updated``, by article
    id) replaced by the story's head, each story once."""
    seen: set[str] = set()
    found = []
    for head in heads:
        story = stories.get(head.id)
        if story is not None:
            head = EntryHead(story[0], story[1], head.site)
        if head.id not in seen:
            seen.add(head.id)
            found.append(head)
    return found
