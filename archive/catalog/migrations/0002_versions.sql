-- Stories and their versions: what the captures mean. Everything here is derived
-- from the captures (and so from the WARC files); `arsip reindex` rebuilds it.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE stories (
    id          bigserial PRIMARY KEY,
    outlet      text NOT NULL,
    story_key   text NOT NULL,              -- 'id:<article id>' or 'url:<canonical URL>'
    url         text NOT NULL,              -- where the story was last seen
    title       text,
    language    text,
    first_seen  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    status      text NOT NULL DEFAULT 'live' CHECK (status IN ('live', 'deleted', 'redirected')),
    UNIQUE (outlet, story_key)
);
CREATE INDEX stories_last_seen ON stories (last_seen DESC);
CREATE INDEX stories_title_trgm ON stories USING gin (title gin_trgm_ops);

-- Every URL a story was seen at (old slugs, AMP copies, split pages), for `arsip versions URL`.
CREATE TABLE story_urls (
    url       text PRIMARY KEY,
    story_id  bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE
);

CREATE TABLE versions (
    id                bigserial PRIMARY KEY,
    story_id          bigint NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    number            integer NOT NULL,
    content_hash      text NOT NULL,
    title             text,
    lede              text,
    byline            text,
    published         text,
    modified          text,
    paragraphs        jsonb NOT NULL,
    captions          jsonb NOT NULL DEFAULT '[]'::jsonb,
    notes             jsonb NOT NULL DEFAULT '[]'::jsonb,
    text              text NOT NULL,
    changes           jsonb,                -- NULL for version 1
    silent_edit       boolean NOT NULL DEFAULT false,
    first_capture_id  bigint NOT NULL REFERENCES captures (id) ON DELETE CASCADE,
    last_capture_id   bigint NOT NULL REFERENCES captures (id) ON DELETE CASCADE,
    first_seen        timestamptz NOT NULL,
    last_seen         timestamptz NOT NULL,
    search            tsvector NOT NULL,
    UNIQUE (story_id, number)
);
CREATE INDEX versions_search ON versions USING gin (search);

-- What ingest made of each capture.
ALTER TABLE captures
    ADD COLUMN story_id bigint REFERENCES stories (id) ON DELETE SET NULL,
    ADD COLUMN version_id bigint REFERENCES versions (id) ON DELETE SET NULL,
    ADD COLUMN ingest_status text,          -- NULL: not ingested yet
    ADD COLUMN ingest_reason text;
CREATE INDEX captures_pending ON captures (fetched_at, record_id) WHERE ingest_status IS NULL;
CREATE INDEX captures_version ON captures (version_id);

-- Paragraphs seen in the first versions of an outlet's stories: a line that
-- recurs across many stories is the outlet's boilerplate, not anyone's article.
CREATE TABLE outlet_lines (
    outlet     text NOT NULL,
    line_hash  text NOT NULL,               -- md5 of the line: lines can outgrow a btree entry
    line       text NOT NULL,
    stories    integer NOT NULL DEFAULT 0,
    PRIMARY KEY (outlet, line_hash)
);
