-- Full-text index of the group directory (see db.SearchMatch).
CREATE INDEX support_groups_search ON support_groups USING GIN (to_tsvector('simple', search_terms));
