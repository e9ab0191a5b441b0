-- Driftline workspace schema, version 1.
-- Nodes are keyed by URN; edges and findings refer to URNs so a re-scan never orphans them.

CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE sources (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  region TEXT NOT NULL,
  config_json TEXT NOT NULL,          -- the sources.yaml entry; secrets are references (passwordEnv), never values
  base_dir TEXT NOT NULL,             -- where relative paths in the entry resolve (the sources.yaml folder)
  updated_at TEXT NOT NULL
);

CREATE TABLE snapshots (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL REFERENCES sources(name),
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed', 'cancelled')),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  prev_id INTEGER REFERENCES snapshots(id),
  content_hash TEXT,                  -- SHA-256 over the snapshot's records, set when complete
  stats_json TEXT NOT NULL DEFAULT '{}',
  report_json TEXT NOT NULL DEFAULT '{}' -- capped warnings, failures and gaps
);
CREATE INDEX snapshots_source ON snapshots(source, id);

CREATE TABLE nodes (
  id INTEGER PRIMARY KEY,
  urn TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  source TEXT NOT NULL,
  region TEXT,
  parent TEXT,
  props_json TEXT NOT NULL DEFAULT '{}',
  pii_json TEXT,                      -- verdicts with masked examples only
  first_snapshot INTEGER,
  last_snapshot INTEGER
);
CREATE INDEX nodes_source_kind ON nodes(source, kind);
CREATE INDEX nodes_parent ON nodes(parent);

CREATE TABLE edges (
  id INTEGER PRIMARY KEY,
  from_id INTEGER NOT NULL REFERENCES nodes(id),
  to_id INTEGER NOT NULL REFERENCES nodes(id),
  kind TEXT NOT NULL,
  confidence REAL NOT NULL CHECK (confidence BETWEEN 0 AND 1),
  evidence_json TEXT NOT NULL,
  first_snapshot INTEGER,
  last_snapshot INTEGER,
  UNIQUE (from_id, to_id, kind)
);
CREATE INDEX edges_to ON edges(to_id, from_id);

CREATE TABLE config_versions (
  id INTEGER PRIMARY KEY,
  urn TEXT NOT NULL,
  origin TEXT NOT NULL CHECK (origin IN ('live', 'desired')),
  snapshot_id INTEGER REFERENCES snapshots(id),
  content_hash TEXT NOT NULL,
  content_json TEXT NOT NULL,         -- canonical JSON; Secret values already replaced by keyed hashes
  author TEXT,
  time TEXT NOT NULL,
  message TEXT,
  revision TEXT
);
CREATE INDEX config_versions_urn ON config_versions(urn, origin, id);
CREATE INDEX config_versions_snapshot ON config_versions(snapshot_id);

CREATE TABLE changes (
  id INTEGER PRIMARY KEY,
  urn TEXT NOT NULL,
  origin TEXT NOT NULL,
  from_version INTEGER REFERENCES config_versions(id),
  to_version INTEGER REFERENCES config_versions(id),
  change TEXT NOT NULL CHECK (change IN ('added', 'removed', 'modified')),
  patch_json TEXT NOT NULL,           -- RFC 6902 JSON patch
  time TEXT NOT NULL,
  author TEXT
);
CREATE INDEX changes_urn ON changes(urn, id);

CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  type TEXT NOT NULL,
  rule TEXT NOT NULL,
  urn TEXT NOT NULL,
  severity TEXT NOT NULL,
  confidence REAL NOT NULL,
  snapshot_id INTEGER REFERENCES snapshots(id),
  producer TEXT NOT NULL,             -- the source or analyzer that wrote it; re-runs replace their own
  finding_json TEXT NOT NULL
);
CREATE INDEX findings_type ON findings(type, severity);
CREATE INDEX findings_urn ON findings(urn);
CREATE INDEX findings_producer ON findings(producer);

CREATE TABLE checkpoints (
  source TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  snapshot_id INTEGER,
  PRIMARY KEY (source, key)
);

CREATE TABLE schemas (
  source TEXT NOT NULL,
  kind TEXT NOT NULL,
  schema_json TEXT NOT NULL,
  PRIMARY KEY (source, kind)
);

-- Search over URNs and names; trigram so Chinese substrings and URN fragments match.
-- New nodes are indexed in bulk after each saved batch (GraphStore.indexSearch, up to the id kept in
-- meta 'fts_indexed_upto'): a per-row insert trigger made inserting nodes ten times slower.
-- Renames and deletes of rows already indexed are kept in step by the triggers below.
CREATE VIRTUAL TABLE nodes_fts USING fts5(urn, name, content='nodes', content_rowid='id', tokenize='trigram');
INSERT INTO meta(key, value) VALUES ('fts_indexed_upto', '0');
CREATE TRIGGER nodes_ad AFTER DELETE ON nodes
WHEN old.id <= CAST((SELECT value FROM meta WHERE key = 'fts_indexed_upto') AS INTEGER) BEGIN
  INSERT INTO nodes_fts(nodes_fts, rowid, urn, name) VALUES ('delete', old.id, old.urn, old.name);
END;
CREATE TRIGGER nodes_au AFTER UPDATE OF urn, name ON nodes
WHEN (old.name IS NOT new.name OR old.urn IS NOT new.urn) AND old.id <= CAST((SELECT value FROM meta WHERE key = 'fts_indexed_upto') AS INTEGER) BEGIN
  INSERT INTO nodes_fts(nodes_fts, rowid, urn, name) VALUES ('delete', old.id, old.urn, old.name);
  INSERT INTO nodes_fts(rowid, urn, name) VALUES (new.id, new.urn, new.name);
END;
