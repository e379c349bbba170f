-- Ingest reads only an outlet's lines common enough to be learned boilerplate
-- (archive.catalog.stories.outlet_lines_at_least), not the whole table, which holds a
-- row for every paragraph of every first version.
CREATE INDEX outlet_lines_outlet_stories ON outlet_lines (outlet, stories);
