/**
 * The services' public face: what the CLI, `serve` and Electron main may use. They reach the store,
 * the sources and the report only through here, so the layers stay as DESIGN.md draws them.
 */
export { Store, SCHEMA_VERSION } from '../store/index.js';
export type { StoredSource, SnapshotInfo } from '../store/index.js';
export { readSourcesFile, parseSourcesYaml } from '../sources/sources-file.js';
export type { SourceEntry, SourcesFile } from '../sources/sources-file.js';
export { runScan, REPORT_CAP } from './scan.js';
export type { ScanOptions, ScanResult } from './scan.js';
export { runAnalyzers } from './analyze.js';
export { testSourceConnection } from './source-checks.js';
export { DriftlineService, diffSnapshotVersions } from './driftline-service.js';
export type { ServiceOptions, BundleInfo } from './driftline-service.js';
export { exportReportForService, loadReportModule } from './report-export.js';
export { exportBundle, verifyBundle, openBundle, loadOrCreateSigningKey, distrustSigner, listTrustedSigners, trustSigner, trustStatus, trustStoreFile } from '../store/bundle/index.js';
export type { BundleSeal, KeyStore, TrustStatus } from '../store/bundle/index.js';
export { driftlineHome } from '../store/keys.js';
export { explainKind, schemaDocument } from '../explain/index.js';
export { writeSchemaDocPdf } from './schema-doc-file.js';
export { predictChanges, backtestChanges, parseHorizon, loadHistory } from './predict.js';
export { appRoot } from '../app-root.js';
