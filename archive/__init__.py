"""arsip's archive: what is kept (WARC files, the catalog) and how it is read back."""
