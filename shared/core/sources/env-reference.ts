import { z } from 'zod';

/**
 * A credential given by reference: the NAME of an environment variable (passwordEnv, usernameEnv,
 * accessKeyIdEnv, …), never the secret itself. Names are held to the POSIX convention for
 * variables (capitals, digits, `_`), which no real password follows by accident: a value outside it
 * is most likely the password pasted in the wrong place, so it is refused without being repeated —
 * the message never quotes it and the entry is not stored (sources-file.ts refuses it first).
 */
export const ENV_VAR_NAME = /^[A-Z_][A-Z0-9_]{0,127}$/;

/** The zod field for one environment-variable reference. */
export function envVarName(): z.ZodString {
  return z.string().regex(ENV_VAR_NAME, 'must be the NAME of an environment variable in capitals, digits and _ (like DB_PASSWORD), not a secret; the value given is not shown or kept, in case it is the secret itself — put the secret in that variable');
}
