"""City, county, province and initiative tagging of articles (see ``tagger.py`` for the path a text takes).

Data lives in ``data/places/`` (gazetteer and place rules) and ``data/initiatives.yaml``.
"""

from .tagger import Tagger, TagResult

__all__ = ["TagResult", "Tagger"]
