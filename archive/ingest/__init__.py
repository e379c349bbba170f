"""Ingest: captures in the catalog -> article extraction in worker processes -> stories and versions; reindex from WARC files."""
