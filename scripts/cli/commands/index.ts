import type { Command } from '../args.js';
import { scanCommand } from './scan.js';
import { findingsCommand } from './findings.js';
import { lineageCommand } from './lineage.js';
import { diffCommand } from './diff.js';
import { explainCommand } from './explain.js';
import { serveCommand } from './serve.js';
import { studioCommand } from './studio.js';
import { reportCommand } from './report.js';
import { snapshotCommand } from './snapshot.js';
import { sourcesCommand } from './sources.js';
import { predictCommand } from './predict.js';

/** Every CLI command, in the order `driftline --help` lists them. Names are a stable interface. */
export const COMMANDS: Command[] = [
  sourcesCommand,
  scanCommand,
  findingsCommand,
  lineageCommand,
  diffCommand,
  explainCommand,
  predictCommand,
  reportCommand,
  snapshotCommand,
  serveCommand,
  studioCommand,
];
