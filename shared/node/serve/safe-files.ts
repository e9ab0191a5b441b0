import { constants, lstatSync, mkdirSync, realpathSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { AppError } from '../../core/api/errors.js';

/*
 * Files we serve or write on someone's behalf never follow a symbolic link planted next to them:
 * a link in the exports folder or in the built renderer could otherwise hand out (or overwrite)
 * any file the user can reach. One module so serve, the studio's exports and Electron agree.
 */

/**
 * The real path of `file` when it is a regular file whose real location is inside the real `root`
 * (so no link, anywhere on the way, leads out of it); undefined otherwise or when it does not exist.
 */
export function realFileInside(root: string, file: string): string | undefined {
  try {
    const realRoot = realpathSync(root);
    const real = realpathSync(file);
    if (!real.startsWith(realRoot + sep)) return undefined;
    return lstatSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads `name` from `dir` when it is a regular file itself, not a link (O_NOFOLLOW, then fstat on
 * the same descriptor, so nothing can be swapped in between); undefined when missing or a link.
 */
export async function readPlainFile(dir: string, name: string): Promise<Buffer | undefined> {
  if (isLink(dir)) return undefined;
  let handle;
  try {
    handle = await open(join(dir, name), constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch {
    return undefined;
  }
  try {
    if (!(await handle.stat()).isFile()) return undefined;
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/**
 * Where an export named `fileName` goes in `dir`: the folder is made if missing and must be a real
 * folder, and the file must not be a link (writers then write aside with O_EXCL and rename over,
 * which replaces a name and never writes through one).
 */
export function exportTarget(dir: string, fileName: string): string {
  if (!isLink(dir)) mkdirSync(dir, { recursive: true });
  if (isLink(dir) || !lstatSync(dir).isDirectory()) {
    throw new AppError('INVALID_INPUT', `the exports folder ${dir} is a symbolic link or not a folder; exports are written only into a real folder — remove it and export again`);
  }
  const out = join(dir, fileName);
  if (isLink(out)) throw new AppError('INVALID_INPUT', `${out} is a symbolic link; an export never writes through a link — remove it or choose another file name`);
  return out;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
