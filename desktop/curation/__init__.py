"""Curation: tags and rules, suggestions, similar items, hybrid search, clusters,
feedback and recommendations — all core, no Qt, built on the catalog and the models."""
