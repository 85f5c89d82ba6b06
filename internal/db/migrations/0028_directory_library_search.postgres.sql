-- Full-text indexes of the service directory (0022) and the resource
-- library (0024), which differ per engine (see db.SearchMatch): FTS5 tables
-- kept by triggers on SQLite, a generated tsvector column with a GIN index on
-- PostgreSQL. Apart from these, both features' tables are one text for both
-- engines.

-- Full-text index of the service directory (see db.SearchMatch).
ALTER TABLE hsds_service_search ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_terms)) STORED;
CREATE INDEX hsds_service_search_vector ON hsds_service_search USING GIN (search_vector);

-- Full-text index of the library (see db.SearchMatch).
ALTER TABLE library_resources ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_terms)) STORED;
CREATE INDEX library_resources_search ON library_resources USING GIN (search_vector);
