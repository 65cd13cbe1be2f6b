"""Rebuild the CLDR part of ``data/places/foreign.txt``: names of other countries and their cities in Chinese.

Run by hand when CLDR changes; the tagger never runs it::

    pip install babel
    python scripts/build_foreign_places.py [--places data/places]

The names come from the Unicode CLDR data that Babel ships (its ``zh_Hans_CN`` locale): every
country or territory name except China's own (CN, HK, MO, TW), and the exemplar city of every time
zone outside them (纽约, 首尔, 伦敦). The hand-made part of the file, below its ``# -- hand-made``
line, is kept as it is.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import babel
from babel import Locale
from babel.core import get_global

PLACES = Path(__file__).resolve().parent.parent / "data" / "places"
CHINA = {"CN", "HK", "MO", "TW"}
HAND_MADE = "# -- hand-made"
HEADER = """\
# Places outside China, in Chinese (zh-Hans), one per line. A mention right after one of these
# (首尔龙山区), beside them in a list (釜山、大田), or in a text that names more of them than of
# Chinese places, is not read as the Chinese division of the same name (see processors/tagging/resolve.py);
# a longer name here also hides the Chinese one inside it (旧金山 holds no 金山).
# The first part is built by scripts/build_foreign_places.py from Unicode CLDR {cldr} (via Babel
# {babel}, Unicode licence): country and territory names, and the exemplar cities of the time zones
# outside China. The part after '{hand}' is hand-made for this project.
"""


def cldr_names() -> tuple[list[str], list[str]]:
    """(countries and territories, cities) in CLDR's zh_Hans_CN locale, China's own left out."""
    locale = Locale.parse("zh_Hans_CN")
    countries = sorted(
        name for code, name in locale.territories.items() if code.isalpha() and code not in CHINA
    )
    territory_of = get_global("zone_territories")
    cities = {
        names["city"]
        for zone, names in locale.time_zones.items()
        if names.get("city") and territory_of.get(zone) not in CHINA
    }
    return countries, sorted(cities - set(countries))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--places", type=Path, default=PLACES)
    args = parser.parse_args(argv)
    path = args.places / "foreign.txt"
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    hand = existing[existing.index(HAND_MADE) :] if HAND_MADE in existing else f"{HAND_MADE}\n"
    countries, cities = cldr_names()
    header = HEADER.format(cldr=babel.core.get_cldr_version(), babel=babel.__version__, hand=HAND_MADE)
    body = "# -- CLDR: countries and territories\n" + "\n".join(countries)
    body += "\n# -- CLDR: cities\n" + "\n".join(cities) + "\n"
    path.write_text(header + body + hand, encoding="utf-8")
    print(f"{len(countries)} countries and territories, {len(cities)} cities from CLDR")


if __name__ == "__main__":
    main()
