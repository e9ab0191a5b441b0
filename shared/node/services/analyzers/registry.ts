import type { Analyzer } from './analyzer.js';
import { piiFindingsAnalyzer } from './pii-findings.js';

/** Every analyzer, run after each scan in `order`. Adding one is one file and one line here. */
export const ANALYZERS: Analyzer[] = [
  piiFindingsAnalyzer,
].sort((a, b) => a.order - b.order);
