-- A version's text is its paragraphs joined by a blank line (archive.versions.Content.text),
-- and it was stored beside them: every new version compressed, wrote and logged its
-- body twice (with the embedded server's pglz, about a third of inserting a version),
-- and the copy was about a quarter of the versions' size. It is derived now: in Python where a
-- version is read whole, by version_text() where SQL needs it (search snippets).
CREATE FUNCTION version_text(paragraphs jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT coalesce(string_agg(p, E'\n\n' ORDER BY n), '')
          FROM jsonb_array_elements_text(paragraphs) WITH ORDINALITY AS t(p, n) $$;

ALTER TABLE versions DROP COLUMN text;
