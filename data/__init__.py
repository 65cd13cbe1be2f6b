"""The data files of the regional news monitor, installed as the package ``regional_news_data``.

Nothing here is code: sites, feed topics, boilerplate rules, the initiative catalogue and the
gazetteer, each file with a header saying what its fields mean and where they came from. They are
read through ``core.data`` with ``importlib.resources``, so an installed wheel needs no source tree.
"""
