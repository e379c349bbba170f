-- Ingest asks for the crawl runs still marked running before every batch it reads
-- (archive/catalog/locks.py); over years of rounds the table grows, the running few do not.
CREATE INDEX crawl_runs_running ON crawl_runs (started_at) WHERE status = 'running';
