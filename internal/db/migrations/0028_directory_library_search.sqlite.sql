-- Full-text indexes of the service directory (0022) and the resource
-- library (0024), which differ per engine (see db.SearchMatch): FTS5 tables
-- kept by triggers on SQLite, a generated tsvector column with a GIN index on
-- PostgreSQL. Apart from these, both features' tables are one text for both
-- engines.

-- Full-text index of the service directory (see db.SearchMatch).
CREATE VIRTUAL TABLE hsds_service_search_fts USING fts5(search_terms, content='hsds_service_search', content_rowid='id');
CREATE TRIGGER hsds_service_search_fts_insert AFTER INSERT ON hsds_service_search BEGIN
    INSERT INTO hsds_service_search_fts(rowid, search_terms) VALUES (new.id, new.search_terms);
END;
CREATE TRIGGER hsds_service_search_fts_delete AFTER DELETE ON hsds_service_search BEGIN
    INSERT INTO hsds_service_search_fts(hsds_service_search_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
END;
CREATE TRIGGER hsds_service_search_fts_update AFTER UPDATE OF search_terms ON hsds_service_search BEGIN
    INSERT INTO hsds_service_search_fts(hsds_service_search_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
    INSERT INTO hsds_service_search_fts(rowid, search_terms) VALUES (new.id, new.search_terms);
END;

-- Full-text index of the library (see db.SearchMatch).
CREATE VIRTUAL TABLE library_resources_fts USING fts5(search_terms, content='library_resources', content_rowid='id');
CREATE TRIGGER library_resources_fts_insert AFTER INSERT ON library_resources BEGIN
    INSERT INTO library_resources_fts(rowid, search_terms) VALUES (new.id, new.search_terms);
END;
CREATE TRIGGER library_resources_fts_delete AFTER DELETE ON library_resources BEGIN
    INSERT INTO library_resources_fts(library_resources_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
END;
CREATE TRIGGER library_resources_fts_update AFTER UPDATE OF search_terms ON library_resources BEGIN
    INSERT INTO library_resources_fts(library_resources_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
    INSERT INTO library_resources_fts(rowid, search_terms) VALUES (new.id, new.search_terms);
END;

-- Rows written before this step are indexed too.
INSERT INTO hsds_service_search_fts(hsds_service_search_fts) VALUES ('rebuild');
INSERT INTO library_resources_fts(library_resources_fts) VALUES ('rebuild');
