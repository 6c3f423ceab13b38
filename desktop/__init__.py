"""Curio: offline content curation for small publishers and archivists."""

__version__ = "0.1.0"
