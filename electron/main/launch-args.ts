/**
 * What the app was asked to open: `--workspace <file>` (from `driftline studio`), or a file the OS
 * passed because of a file association (`*.driftline` workspace, `*.dlbundle` sealed bundle).
 */
export type LaunchTarget = { kind: 'workspace' | 'bundle'; path: string };

export function launchTarget(argv: readonly string[], fallbackWorkspace: string): LaunchTarget {
  const flag = argv.indexOf('--workspace');
  if (flag >= 0 && argv[flag + 1]) return { kind: 'workspace', path: argv[flag + 1] };
  // argv[0] is the executable (and argv[1] the app folder in development): look only at file arguments.
  const file = [...argv.slice(1)].reverse().find((a) => !a.startsWith('-') && /\.(driftline|dlbundle)$/i.test(a));
  if (file) return { kind: /\.dlbundle$/i.test(file) ? 'bundle' : 'workspace', path: file };
  return { kind: 'workspace', path: fallbackWorkspace };
}
