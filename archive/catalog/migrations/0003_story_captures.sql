-- A story's captures, for `arsip versions` (queries.versions_of reads them by story_id):
-- without this index every call scans all captures (~0.5 s at a million). It also serves
-- the ON DELETE SET NULL of captures.story_id when a story is deleted.
CREATE INDEX captures_story ON captures (story_id);
