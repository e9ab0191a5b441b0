import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Io } from '../args.js';
import { buildTestWorkspace } from '../../testing/fixtures/report-workspace.js';
import { reportCommand } from './report.js';
import { snapshotCommand } from './snapshot.js';

function capture(): Io & { stdout: string; stderr: string } {
  const io = { stdout: '', stderr: '', isTTY: false, out(t: string) { io.stdout += t; }, err(t: string) { io.stderr += t; } };
  return io;
}

let dir: string;
let workspace: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'driftline-cli-report-'));
  process.env.DRIFTLINE_HOME = join(dir, 'home');
  workspace = join(dir, 'ws.driftline');
  buildTestWorkspace(workspace).store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('driftline report', () => {
  it('writes the PDF and the three exports in one run', async () => {
    const io = capture();
    const pdf = join(dir, 'r.pdf');
    const code = await reportCommand.run(['--workspace', workspace, '--out', pdf, '--lang', 'zh-CN', '--findings-json', join(dir, 'f.json'), '--findings-csv', join(dir, 'f.csv'), '--openlineage', join(dir, 'ol.jsonl')], io);
    expect(code).toBe(0);
    expect(io.stdout).toMatch(/report: .*r\.pdf \(\d+ pages, \d+ KB, zh-CN\)/);
    expect(io.stdout).toContain('(10 findings, JSON)');
    expect(io.stdout).toContain('(10 findings, CSV)');
    expect(io.stdout).toContain('(3 run events)');
    expect(execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')).toContain('未封存');
    expect(JSON.parse(readFileSync(join(dir, 'f.json'), 'utf8'))).toHaveLength(10);
  });

  it('prints the seal on the cover when the workspace was opened from a bundle', async () => {
    const bundle = join(dir, 'b.dlbundle');
    const sealed = join(dir, 'sealed.driftline');
    const io = capture();
    await snapshotCommand.run(['export', '--workspace', workspace, '--out', bundle], io);
    const fingerprint = /fingerprint:\s+([0-9a-f]{64})/.exec(io.stdout)![1];
    await snapshotCommand.run(['open', bundle, '--workspace', sealed], capture());
    const pdf = join(dir, 'sealed.pdf');
    expect(await reportCommand.run(['--workspace', sealed, '--out', pdf], capture())).toBe(0);
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    expect(text).toContain(fingerprint);
    expect(text).toContain('Generatedfromasealedsnapshotbundle');
  });

  it('rejects a bad language and a run with nothing to write', async () => {
    await expect(reportCommand.run(['--workspace', workspace, '--out', join(dir, 'x.pdf'), '--lang', 'fr'], capture())).rejects.toThrow(/--lang fr is not supported; use en or zh-CN/);
    await expect(reportCommand.run(['--workspace', workspace], capture())).rejects.toThrow(/give --out <report.pdf>/);
    expect(reportCommand.usage).toContain('--findings-csv <file>');
  });
});
