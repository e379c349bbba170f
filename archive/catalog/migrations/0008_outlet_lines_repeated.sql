-- Ingest looks up an outlet's lines common enough to be learned boilerplate, always in
-- at least two stories (archive.catalog.stories.outlet_lines_at_least). Nearly every
-- line is in one story only: indexing only the others spares an index entry for each
-- paragraph of every first version.
DROP INDEX outlet_lines_outlet_stories;
CREATE INDEX outlet_lines_repeated ON outlet_lines (outlet, stories) WHERE stories >= 2;
