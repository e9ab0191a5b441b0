import type { Command } from '../args.js';

/** A line of `driftline --help`, and how to load the command: its module is imported only when it runs. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

/**
 * Every CLI command, in the order `driftline --help` lists them. Names are a stable interface.
 * A command's module (and the services, SDKs and PDF stack it needs) loads only when that command
 * runs, so `driftline --help` starts in the time of `node` itself. Adding a command is its file and
 * one line here.
 */
export const COMMANDS: CommandEntry[] = [
  { name: 'sources', summary: 'check a sources.yaml: validate every entry and test each connection (read-only)', load: async () => (await import('./sources.js')).sourcesCommand },
  { name: 'scan', summary: 'capture every source of a sources.yaml into a workspace (read-only against the sources)', load: async () => (await import('./scan.js')).scanCommand },
  { name: 'findings', summary: 'list findings (pii, drift, flow, exposure, anomaly), most severe first', load: async () => (await import('./findings.js')).findingsCommand },
  { name: 'lineage', summary: 'show where data of a URN comes from (--upstream) or goes to (--downstream)', load: async () => (await import('./lineage.js')).lineageCommand },
  { name: 'access', summary: 'who can read a PII field (and through which grant), or what a principal can read', load: async () => (await import('./access.js')).accessCommand },
  { name: 'coverage', summary: 'transfer-path coverage: every way PII can leave each dataset, domestic, cross-border or unknown', load: async () => (await import('./coverage.js')).coverageCommand },
  { name: 'diff', summary: 'configuration drift (git desired vs live), or the changes between two snapshots', load: async () => (await import('./diff.js')).diffCommand },
  { name: 'explain', summary: 'describe a kind or field offline, in English or Chinese; --doc writes a full schema document', load: async () => (await import('./explain.js')).explainCommand },
  { name: 'predict', summary: 'which configuration objects will likely change within a horizon, and why; --backtest measures it', load: async () => (await import('./predict.js')).predictCommand },
  { name: 'report', summary: 'the evidence PDF (English or Simplified Chinese), findings as JSON/CSV, lineage as OpenLineage', load: async () => (await import('./report.js')).reportCommand },
  { name: 'snapshot', summary: 'seal snapshots into a signed bundle, verify a bundle, open one read-only, trust signers', load: async () => (await import('./snapshot.js')).snapshotCommand },
  { name: 'check', summary: 'check a workspace file for damage (read-only); opening one does this itself after a crash', load: async () => (await import('./check.js')).checkCommand },
  { name: 'serve', summary: 'open the studio in a browser: the same UI and calls over HTTP + WebSocket on 127.0.0.1', load: async () => (await import('./serve.js')).serveCommand },
  { name: 'studio', summary: 'start the desktop studio (Electron), or the browser studio where Electron is unavailable', load: async () => (await import('./studio.js')).studioCommand },
];
