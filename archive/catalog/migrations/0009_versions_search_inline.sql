-- A version's search vector is kept in the version's own row instead of the TOAST table.
-- A quoted phrase is checked against every version that holds all its words (GIN keeps
-- no word positions), reading each one's vector: from TOAST that is the TOAST index and
-- two chunks besides the row, some five pages per version; in the row it is one. Vectors
-- hardly compress (positions), so TOAST saved nothing but the row's width. A vector too
-- long to fit in a page (an article of some 1,500 words) still goes out of line.
-- Values already stored stay where they are until the table is rewritten
-- (VACUUM FULL versions).
ALTER TABLE versions ALTER COLUMN search SET STORAGE MAIN;
