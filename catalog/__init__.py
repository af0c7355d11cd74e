"""Indexing and search: the catalog API, structural indexes, full-text backends,
Vietnamese text analysis and the index queue.

So far it holds what plugins declare to the catalog (:mod:`catalog.fields`).
"""
