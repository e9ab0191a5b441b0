-- Pre-aggregated group counts for `graph:overview`: the studio's first picture of a workspace of any
-- size is read from these small tables instead of a pass over every node and edge (41.8 s at 1M).
--
-- A node's group (namespace, database, bucket, Kafka cluster, repository) is its `group_key`
-- (shared/core/model/groups.ts groupKeyOf); the store writes it with the node. Like the search index,
-- new rows are counted in bulk after each saved batch (GraphStore.refreshGroupCounts, up to the ids
-- kept in meta 'groups_nodes_upto' / 'groups_edges_upto'): a trigger per inserted row made inserts
-- 35% slower. Rows already counted are kept in step by the triggers below (PII verdicts that appear
-- or vanish, deletes — analyzers delete and re-add their edges on every run). A writer that leaves
-- group_key empty gets it filled from the URN by the SQL function driftline_group_key(urn), which
-- every Driftline connection registers (store/workspace.ts).

ALTER TABLE nodes ADD COLUMN group_key TEXT;
UPDATE nodes SET group_key = driftline_group_key(urn);

CREATE TABLE group_counts (
  group_key TEXT PRIMARY KEY,
  source TEXT NOT NULL,
  region TEXT,                        -- the first region seen in the group
  nodes INTEGER NOT NULL,
  pii_nodes INTEGER NOT NULL
) WITHOUT ROWID;

-- Edges between two different groups, by kind (edges inside one group are not drawn between groups).
CREATE TABLE group_edge_counts (
  from_group TEXT NOT NULL,
  to_group TEXT NOT NULL,
  kind TEXT NOT NULL,
  edges INTEGER NOT NULL,
  PRIMARY KEY (from_group, to_group, kind)
) WITHOUT ROWID;

INSERT INTO meta (key, value) VALUES ('groups_nodes_upto', '0'), ('groups_edges_upto', '0');

CREATE TRIGGER nodes_group_pii AFTER UPDATE OF pii_json ON nodes
WHEN (old.pii_json IS NULL) <> (new.pii_json IS NULL) AND old.id <= CAST((SELECT value FROM meta WHERE key = 'groups_nodes_upto') AS INTEGER) BEGIN
  UPDATE group_counts SET pii_nodes = pii_nodes + (CASE WHEN new.pii_json IS NULL THEN -1 ELSE 1 END) WHERE group_key = old.group_key;
END;
CREATE TRIGGER nodes_group_delete AFTER DELETE ON nodes
WHEN old.id <= CAST((SELECT value FROM meta WHERE key = 'groups_nodes_upto') AS INTEGER) BEGIN
  UPDATE group_counts SET nodes = nodes - 1, pii_nodes = pii_nodes - (old.pii_json IS NOT NULL) WHERE group_key = old.group_key;
END;
CREATE TRIGGER edges_group_delete AFTER DELETE ON edges
WHEN old.id <= CAST((SELECT value FROM meta WHERE key = 'groups_edges_upto') AS INTEGER) BEGIN
  UPDATE group_edge_counts SET edges = edges - 1
  WHERE kind = old.kind AND from_group = (SELECT group_key FROM nodes WHERE id = old.from_id) AND to_group = (SELECT group_key FROM nodes WHERE id = old.to_id);
END;
CREATE TRIGGER edges_group_move AFTER UPDATE OF from_id, to_id, kind ON edges
WHEN old.id <= CAST((SELECT value FROM meta WHERE key = 'groups_edges_upto') AS INTEGER) BEGIN
  UPDATE group_edge_counts SET edges = edges - 1
  WHERE kind = old.kind AND from_group = (SELECT group_key FROM nodes WHERE id = old.from_id) AND to_group = (SELECT group_key FROM nodes WHERE id = old.to_id);
  INSERT INTO group_edge_counts (from_group, to_group, kind, edges)
  SELECT f.group_key, t.group_key, new.kind, 1 FROM nodes f, nodes t WHERE f.id = new.from_id AND t.id = new.to_id AND f.group_key <> t.group_key
  ON CONFLICT (from_group, to_group, kind) DO UPDATE SET edges = edges + 1;
END;
