-- Full-text index of the group directory (see db.SearchMatch). The vector is
-- stored, so a search that matches many groups does not parse every row's
-- text again.
ALTER TABLE support_groups ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_terms)) STORED;
CREATE INDEX support_groups_search ON support_groups USING GIN (search_vector);
