"""The library as data: scanning, extraction and the SQLite store. No Qt here."""
