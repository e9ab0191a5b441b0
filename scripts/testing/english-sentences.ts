/**
 * Finds English sentences left in text meant to be Chinese (the zh-CN studio and report). What a
 * Chinese reader is expected to see in Latin letters is not a sentence: identifiers (URNs, paths,
 * configuration keys, SQL, `code`), product and Kubernetes names (capitalised: Kafka, Secret,
 * RoleBinding), upper-case keywords (SELECT, READ). A sentence is three or more plain lower-case
 * English words in a row, nothing else between them — "reads and writes", "is not fully known".
 */

/** Tokens that are identifiers, not words: they break a run of words. */
const IDENTIFIER = /[0-9./_=:@%*$#<>{}\\[\]|+~`'"-]|^[A-Z]/;
const WORD = /^[a-z]{2,}$/;
/** Lower-case words a Chinese text uses as they are (units, file formats, tool names). */
const ALLOWED = new Set(['git', 'kubectl', 'kcat', 'json', 'yaml', 'csv', 'pdf', 'ndjson', 'gzip', 'mariadb', 'mysql', 'driftline', 'get', 'list', 'watch', 'https', 'http', 'utc']);
const MIN_WORDS = 3;
/** Lines longer than this are cut (a bound on the work per line). */
const MAX_LINE = 10_000;

/** The English runs of at least three words in `text`, each with the line it was found in. */
export function englishSentences(text: string): { run: string; line: string }[] {
  const out: { run: string; line: string }[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.slice(0, MAX_LINE);
    // URNs and backticked code are identifiers whatever their letters.
    const cleaned = line.replace(/`[^`]*`/g, ' § ').replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' § ');
    // Split on spaces, and around any character outside ASCII (a Chinese character ends a run).
    const tokens = cleaned.split(/(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])|\s+/).filter(Boolean);
    let run: string[] = [];
    const flush = () => {
      if (run.length >= MIN_WORDS) out.push({ run: run.join(' '), line: line.trim() });
      run = [];
    };
    for (const token of tokens) {
      const word = token.replace(/^[([,;]+|[)\],;.!?]+$/g, '');
      if (WORD.test(word) && !IDENTIFIER.test(word) && !ALLOWED.has(word)) {
        run.push(word);
        // A list of names (`address, birthday, email`) is not a sentence: a comma after a single word ends the run there.
        if (token.endsWith(',') && run.length === 1) run = [];
        continue;
      }
      flush();
    }
    flush();
  }
  return out;
}
