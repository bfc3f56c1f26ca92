import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InternalError } from '../common/errors.js';

/** What `resolveGeneratedPasswords` needs. */
export interface GeneratedPasswordsRequest {
  /** Users whose configured password is empty. */
  userNames: readonly string[];
  /** Makes a new random password. */
  generate: () => string;
  /**
   * JSON file (`<state_path>/credentials.json`) that keeps generated passwords across restarts;
   * omitted, passwords live in memory only and change at every start (tests).
   */
  file?: string | undefined;
}

/** The content of the credentials file: generated passwords by user name. */
interface PasswordFile {
  passwords: Record<string, string>;
}

/**
 * Returns a password for every named user: the one kept in the credentials file when there is one,
 * else a new one, which is then written there (mode 0600) so later starts reuse it.
 *
 * @example
 * const pw = await resolveGeneratedPasswords({ userNames: ['admin'], generate: () => ids.secret(18), file });
 * pw.get('admin');
 */
export async function resolveGeneratedPasswords(request: GeneratedPasswordsRequest): Promise<Map<string, string>> {
  const { file, userNames, generate } = request;
  if (file === undefined) return new Map(userNames.map((name) => [name, generate()]));
  if (userNames.length === 0) return new Map();
  for (let attempt = 0; ; attempt++) {
    const existing = await readPasswordFile(file);
    const passwords = { ...(existing?.passwords ?? {}) };
    const missing = userNames.filter((name) => typeof passwords[name] !== 'string' || passwords[name] === '');
    for (const name of missing) passwords[name] = generate();
    if (missing.length > 0) {
      const written = await writePasswordFile(file, { passwords }, existing === undefined);
      // Another process created the file between our read and write: use what it wrote.
      if (!written && attempt === 0) continue;
      if (!written) throw new InternalError('identity.credentials_file', `Could not create ${file}`);
    }
    return new Map(userNames.map((name) => [name, passwords[name] ?? '']));
  }
}

async function readPasswordFile(file: string): Promise<PasswordFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InternalError('identity.credentials_file', `Cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    const passwords = (parsed as Partial<PasswordFile> | null)?.passwords;
    if (passwords === null || typeof passwords !== 'object' || Array.isArray(passwords)) throw new Error('no "passwords" object');
    return { passwords: Object.fromEntries(Object.entries(passwords).filter((e): e is [string, string] => typeof e[1] === 'string')) };
  } catch (err) {
    throw new InternalError('identity.credentials_file', `Invalid credentials file ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** Writes the file with mode 0600; when `create` is set, fails (returns false) if it already exists. */
async function writePasswordFile(file: string, content: PasswordFile, create: boolean): Promise<boolean> {
  const text = `${JSON.stringify(content, null, 2)}\n`;
  try {
    await mkdir(dirname(file), { recursive: true });
    if (create) {
      await writeFile(file, text, { mode: 0o600, flag: 'wx' });
    } else {
      // Replace atomically so a reader never sees half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, file);
    }
    await chmod(file, 0o600);
    return true;
  } catch (err) {
    if (create && (err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new InternalError('identity.credentials_file', `Cannot write ${file}: ${(err as Error).message}`, { cause: err });
  }
}
