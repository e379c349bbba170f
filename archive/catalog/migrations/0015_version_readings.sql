-- Other readings of a version: content hashes that the same archived page of a version
-- reads as with a later arsip (a better extractor) or other outlet selectors. The page did
-- not change, so a capture that reads so joins the version instead of starting one;
-- ingest finds these by reading the version's last capture again (archive.ingest.ingester).
CREATE TABLE version_readings (
    version_id   bigint NOT NULL REFERENCES versions (id) ON DELETE CASCADE,
    content_hash text NOT NULL,
    PRIMARY KEY (version_id, content_hash)
);
