-- One row per URL ever captured, kept up to date by every capture insert
-- (archive.catalog.store.insert_captures): what a crawl round needs at its start,
-- the pages it knows and the payloads it may write revisits of, without reading
-- every capture of the outlet (which grows with every round, where URLs grow
-- only with new articles). Derived from captures, like them rebuilt by `arsip reindex`.
CREATE TABLE pages (
    url                 text PRIMARY KEY,
    outlet              text,                 -- of the latest capture
    host                text NOT NULL,
    first_fetched       timestamptz NOT NULL,
    last_fetched        timestamptz NOT NULL,
    last_status         integer NOT NULL,     -- of the latest capture
    -- the latest full 2xx response with a payload: what a revisit of this URL refers to
    payload_digest      text,
    payload_fetched_at  timestamptz,
    payload_record_id   text
);
CREATE INDEX pages_outlet ON pages (outlet);
CREATE INDEX pages_host ON pages (host);

INSERT INTO pages (url, outlet, host, first_fetched, last_fetched, last_status,
                   payload_digest, payload_fetched_at, payload_record_id)
SELECT span.url, latest.outlet, latest.host, span.first_fetched, span.last_fetched, latest.status,
       response.payload_digest, response.fetched_at, response.record_id
FROM (SELECT url, min(fetched_at) AS first_fetched, max(fetched_at) AS last_fetched
      FROM captures GROUP BY url) span
CROSS JOIN LATERAL (
    SELECT outlet, host, status FROM captures c
    WHERE c.url = span.url ORDER BY c.fetched_at DESC, c.record_id DESC LIMIT 1) latest
LEFT JOIN LATERAL (
    SELECT payload_digest, fetched_at, record_id FROM captures c
    WHERE c.url = span.url AND c.record_type = 'response' AND c.status BETWEEN 200 AND 299
          AND c.payload_digest IS NOT NULL
    ORDER BY c.fetched_at DESC, c.record_id DESC LIMIT 1) response ON true;
