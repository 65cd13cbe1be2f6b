"""City, county, province and initiative tagging of articles (see ``tagger.py`` for the path a text takes).

Data lives in ``data/places/`` (gazetteer and place rules) and ``data/initiatives.yaml``.
"""

import warnings

# jieba imports pkg_resources when setuptools still ships it (< 81, as Scrapyd requires), and that
# import warns on stderr: every command would print it. Filtered here, before any module imports jieba.
warnings.filterwarnings("ignore", "pkg_resources is deprecated", UserWarning)

from .tagger import Tagger, TagResult  # noqa: E402

__all__ = ["TagResult", "Tagger"]
