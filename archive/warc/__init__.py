"""WARC files: writing (writer), reading back (reader), and mending killed files (repair)."""
