-- A version's text, paragraphs and search vector are compressed when stored (TOAST).
-- lz4 does that in about half pglz's CPU and reads back faster, for some 10-30% more
-- bytes; on a busy crawl node the CPU is what a round waits for, and the bytes are a
-- derived copy (the WARC files are the record). Servers built without lz4 (the
-- embedded one) keep pglz. Values already stored keep the compression they have.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)) THEN
        ALTER TABLE versions
            ALTER COLUMN text SET COMPRESSION lz4,
            ALTER COLUMN paragraphs SET COMPRESSION lz4,
            ALTER COLUMN search SET COMPRESSION lz4;
    END IF;
END
$$;
