-- The directory lists matches by name: with this index a common search word
-- (thousands of matches) reads the first page in order instead of sorting
-- every match (see docs/performance.md).
CREATE INDEX support_groups_name ON support_groups (name, id);
