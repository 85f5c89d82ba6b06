-- Full-text index of the group directory (see db.SearchMatch).
CREATE VIRTUAL TABLE support_groups_fts USING fts5(search_terms, content='support_groups', content_rowid='id');
CREATE TRIGGER support_groups_fts_insert AFTER INSERT ON support_groups BEGIN
    INSERT INTO support_groups_fts(rowid, search_terms) VALUES (new.id, new.search_terms);
END;
CREATE TRIGGER support_groups_fts_delete AFTER DELETE ON support_groups BEGIN
    INSERT INTO support_groups_fts(support_groups_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
END;
CREATE TRIGGER support_groups_fts_update AFTER UPDATE OF search_terms ON support_groups BEGIN
    INSERT INTO support_groups_fts(support_groups_fts, rowid, search_terms) VALUES ('delete', old.id, old.search_terms);
    INSERT INTO support_groups_fts(rowid, search_terms) VALUES (new.id, new.search_terms);
END;
