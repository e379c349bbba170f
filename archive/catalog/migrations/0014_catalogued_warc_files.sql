-- WARC files every record of which has its capture row. A crawl records its files here
-- when every row it wrote into them reached the catalog; a file written while the
-- catalog was unreachable is missing, and the next ingest reads it back (archive.reindex)
-- before deciding anything, so an outage needs no hand step. Names as in captures.warc_file.
CREATE TABLE catalogued_warc_files (
    name          text PRIMARY KEY,
    catalogued_at timestamptz NOT NULL DEFAULT now()
);
