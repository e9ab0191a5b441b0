import { describe, expect, it } from 'vitest';
import { launchTarget } from './launch-args.js';

describe('what the studio opens at launch', () => {
  it.each([
    [['electron', '/app', '--workspace', '/w/audit.driftline'], { kind: 'workspace', path: '/w/audit.driftline' }, 'driftline studio passes --workspace'],
    [['Driftline', '/Users/a/Downloads/q3.dlbundle'], { kind: 'bundle', path: '/Users/a/Downloads/q3.dlbundle' }, 'a bundle double-clicked'],
    [['Driftline', 'C:\\audits\\prod.DRIFTLINE'], { kind: 'workspace', path: 'C:\\audits\\prod.DRIFTLINE' }, 'a workspace double-clicked on Windows'],
    [['Driftline', '--enable-logging'], { kind: 'workspace', path: '/demo.driftline' }, 'no file: the demo'],
    [['Driftline', 'notes.txt'], { kind: 'workspace', path: '/demo.driftline' }, 'other files are not opened'],
  ])('%j → %j (%s)', (argv, target) => {
    expect(launchTarget(argv, '/demo.driftline')).toEqual(target);
  });
});
