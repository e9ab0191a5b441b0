/**
 * Which links the studio may hand to the operating system (shell.openExternal). The renderer
 * shows text from scanned systems, so a link in it is not ours until proven: only https, to a host
 * on this list, without credentials or an unusual port. Add a host here deliberately, with a test.
 */
export const EXTERNAL_LINK_HOSTS: readonly string[] = [
  'github.com', // the project's home, issues and releases
  'kubernetes.io', // the Kubernetes reference the explain texts point to
  'openlineage.io', // the OpenLineage specification our export follows
];

/** Whether `url` may be opened in the user's browser: https, an allow-listed host (or a sub-domain of one), nothing hidden in it. */
export function isAllowedExternalUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password || parsed.port) return false;
  const host = parsed.hostname.toLowerCase();
  return EXTERNAL_LINK_HOSTS.some((allowed) => host === allowed || host.endsWith(`.${allowed}`));
}
