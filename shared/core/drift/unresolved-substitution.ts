/**
 * Flux `postBuild.substitute` variables that only the cluster holds (a substituteFrom ConfigMap or
 * Secret not in the repository) reach the desired state as markers, `<unknown:${VAR}>` (see
 * shared/node/sources/git/flux-substitute.ts). Such a value cannot be compared as written: the live
 * value is the marker's real value. What can be proved is whether the parts the repository does fix
 * agree: `registry/app:<unknown:${TAG}>` against `registry/app:1.4.2` agrees, against
 * `other/app:1.4.2` is drift.
 */
const MARKER = /<unknown:\$\{[^}]*\}>/;

/** Whether a desired value holds a marker of a variable only the cluster knows. */
export const hasUnresolvedVariable = (desired: unknown): desired is string =>
  typeof desired === 'string' && MARKER.test(desired);

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether the live value agrees with the desired one where the repository fixes it: every marker
 * stands for any text (a variable may expand to nothing). Live numbers and booleans are compared as
 * the text they were substituted from.
 */
export function agreesOutsideVariables(desired: string, live: unknown): boolean {
  if (live === null || typeof live === 'object') return false;
  const pattern = desired.split(MARKER).map(escapeRegExp).join('[\\s\\S]*');
  return new RegExp(`^${pattern}$`).test(String(live));
}
