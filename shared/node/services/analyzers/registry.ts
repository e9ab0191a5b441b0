import type { Analyzer } from './analyzer.js';
import { piiFindingsAnalyzer } from './pii-findings.js';
import { lineageAnalyzer } from './lineage.js';
import { flowsAnalyzer } from './flows.js';
import { egressAnalyzer } from './egress.js';
import { coverageAnalyzer } from './coverage.js';
import { exposureAnalyzer } from './exposure.js';
import { accessAnalyzer } from './access.js';
import { piiRouteChangesAnalyzer } from './pii-route-changes.js';
import { driftAnalyzer } from './drift.js';
import { anomaliesAnalyzer } from './anomalies.js';
import { rbacCompareAnalyzer } from './rbac-compare.js';

/** Every analyzer, run after each scan in `order`. Adding one is one file and one line here. */
export const ANALYZERS: Analyzer[] = [
  piiFindingsAnalyzer,
  lineageAnalyzer,
  egressAnalyzer,
  flowsAnalyzer,
  exposureAnalyzer,
  accessAnalyzer,
  coverageAnalyzer,
  piiRouteChangesAnalyzer,
  driftAnalyzer,
  anomaliesAnalyzer,
  rbacCompareAnalyzer,
].sort((a, b) => a.order - b.order);
