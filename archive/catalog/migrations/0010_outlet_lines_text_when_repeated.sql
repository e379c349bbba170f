-- A line's text is kept once it is in two stories: only such lines are ever read by
-- their text (learned boilerplate; archive.catalog.stories.outlet_lines_at_least),
-- while nearly every line is in one story only. Counting a new version's paragraphs
-- then writes a hash and a count for each, not the paragraph again, which was most
-- of this table's size.
ALTER TABLE outlet_lines ALTER COLUMN line DROP NOT NULL;
