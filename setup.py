"""For `scrapyd-deploy`, which builds the project's egg with `python setup.py bdist_egg`.

Everything about the package is in pyproject.toml (including the ``scrapy`` entry point naming the
settings module that Scrapyd reads from the egg); without this file scrapyd-deploy would write one.
"""

from setuptools import setup

setup()
