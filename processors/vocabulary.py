"""Every tag value the tagger can give, for the packages that name tags without tagging (the feeds).

Named by the ``FEEDS_TAG_VOCABULARY`` setting; reads the same data as the tagger: ``PLACES_DIR``,
``INITIATIVES_FILES`` and the site catalogue (``SITES_FILES``).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from scrapy.settings import BaseSettings

from core.data import packaged
from core.sites import load_sites
from core.tags import TagVocabulary
from processors.tagging.catalogue import load_catalogue
from processors.tagging.gazetteer import load_gazetteer


def tag_vocabulary(settings: BaseSettings) -> TagVocabulary:
    places = settings.get("PLACES_DIR") or ""
    return _vocabulary(
        str(Path(places).resolve()) if places else "",
        tuple(settings.getlist("INITIATIVES_FILES")),
        tuple(settings.getlist("SITES_FILES")),
    )


@cache
def _vocabulary(
    places_dir: str, initiatives_files: tuple[str, ...], sites_files: tuple[str, ...]
) -> TagVocabulary:
    gazetteer = load_gazetteer(Path(places_dir) if places_dir else packaged("places"))
    levels: dict[str, set[str]] = {"city": set(), "county": set(), "province": set()}
    province_of: dict[str, str] = {}
    for division in gazetteer.divisions.values():
        if division.level == "province":
            levels["province"].add(division.label)
        if division.level == "county":
            levels["county"].add(division.label)
        if division.level == "prefecture" or division.also_city:
            levels["city"].add(division.label)
            lineage = [division, *(gazetteer.divisions[code] for code in gazetteer.ancestors(division.code))]
            province = next((d for d in lineage if d.level == "province"), None)
            if province is not None:
                province_of[division.label] = province.label
    initiatives = load_catalogue(initiatives_files)
    sites = load_sites(sites_files)
    return TagVocabulary(
        values={
            **{kind: frozenset(values) for kind, values in levels.items()},
            "initiative": frozenset(initiative.id for initiative in initiatives),
            "site": frozenset(sites),
        },
        names={
            **{("initiative", initiative.id): initiative.name for initiative in initiatives},
            **{("site", key): site.name for key, site in sites.items()},
        },
        province_of=province_of,
    )
