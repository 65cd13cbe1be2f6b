"""The article store: tables (``schema``), their migrations (``migrate``, ``migrations/``), the
queries (``store``) and the one store a crawl shares, off the reactor (``crawl``)."""
