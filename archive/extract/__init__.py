"""Article extraction: the layers that read one page into an article, pure (no I/O)."""
