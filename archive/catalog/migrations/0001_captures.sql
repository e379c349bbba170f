-- The capture backbone: outlets, crawl runs, every HTTP fetch (a capture) and
-- every fetch that failed. Capture rows are derived from WARC records and point
-- at them; `arsip reindex` rebuilds them from the files alone.

CREATE TABLE outlets (
    key         text PRIMARY KEY,
    name        text NOT NULL,
    definition  jsonb NOT NULL,          -- the outlet as loaded, for the record
    updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE crawl_runs (
    id              bigserial PRIMARY KEY,
    outlet          text NOT NULL,
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    host            text NOT NULL,
    pid             integer NOT NULL,
    recheck         boolean NOT NULL DEFAULT false,
    status          text NOT NULL DEFAULT 'running'
                    CHECK (status IN ('running', 'finished', 'failed')),
    pages_fetched   integer NOT NULL DEFAULT 0,
    new_captures    integer NOT NULL DEFAULT 0,
    revisits        integer NOT NULL DEFAULT 0,
    errors          integer NOT NULL DEFAULT 0,
    errors_by_kind  jsonb NOT NULL DEFAULT '{}'::jsonb
);

CREATE TABLE captures (
    id                 bigserial PRIMARY KEY,
    record_id          text NOT NULL UNIQUE,     -- WARC-Record-ID of the response/revisit
    record_type        text NOT NULL CHECK (record_type IN ('response', 'revisit')),
    url                text NOT NULL,
    host               text NOT NULL,            -- netloc, with port when there is one
    outlet             text,                     -- NULL when no configured outlet owns the host
    fetched_at         timestamptz NOT NULL,
    status             integer NOT NULL,
    content_type       text,
    location           text,                     -- absolute redirect target, for 3xx
    warc_file          text NOT NULL,
    warc_offset        bigint NOT NULL,
    warc_length        bigint NOT NULL,
    payload_digest     text,
    refers_to_uri      text,                     -- revisits: the capture whose payload this repeats
    refers_to_date     timestamptz,
    request_record_id  text,
    request_method     text,
    referrer           text,                     -- the page whose link led to this fetch
    crawl_run_id       bigint REFERENCES crawl_runs (id) ON DELETE SET NULL,
    UNIQUE (warc_file, warc_offset)
);

CREATE INDEX captures_url_fetched_at ON captures (url, fetched_at);
CREATE INDEX captures_outlet_fetched_at ON captures (outlet, fetched_at);
CREATE INDEX captures_payload_digest ON captures (payload_digest);

CREATE TABLE fetch_errors (
    id            bigserial PRIMARY KEY,
    crawl_run_id  bigint REFERENCES crawl_runs (id) ON DELETE CASCADE,
    outlet        text,
    url           text NOT NULL,
    kind          text NOT NULL
                  CHECK (kind IN ('dns', 'refused', 'timeout', 'http_4xx', 'http_5xx',
                                  'too_large', 'robots', 'other')),
    status        integer,
    message       text NOT NULL,
    occurred_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX fetch_errors_url ON fetch_errors (url);
