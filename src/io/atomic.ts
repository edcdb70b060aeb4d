import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { access, chmod, constants, lstat, mkdir, open, readFile, readdir, readlink, rename, rm, rmdir, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { OutputError } from '../errors.js';
import { printable } from '../printable.js';

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code}` : err.message;
}

/**
 * Paths this process is writing and must not leave behind: a signal handler removes them (see
 * `removePendingSync`), and a later run sweeps those of a process that died (see `sweepStale`).
 */
const pending = new Set<string>();

/** Removes every temp file and staging directory still in flight; for signal handlers, hence synchronous. */
export function removePendingSync(): void {
  // Retries: DuckDB's threads may still be adding spill files to a private directory while it is removed.
  for (const path of pending) rmSync(path, { recursive: true, force: true, maxRetries: 3 });
  pending.clear();
}

/** Has a signal remove `path` (a private working directory) until the returned function says it is gone. */
export function removeOnSignal(path: string): () => void {
  pending.add(path);
  return () => pending.delete(path);
}

// Temp names carry the writer's pid, so a later run can tell a dead run's leftovers from a live one's.
const tempName = (name: string) => `.${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
const TEMP = /^\..*\.(\d+)\.[0-9a-f]{8}\.tmp$/;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temp files and staging directories in `dir` left by runs that were killed. */
export async function sweepStale(dir: string): Promise<void> {
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    const pid = TEMP.exec(entry)?.[1];
    if (pid && Number(pid) !== process.pid && !alive(Number(pid))) await rm(join(dir, entry), { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Creates `dir` and its missing parents; `mode` is applied exactly to the directories created (a directory
 * that another user's program reads, like node_exporter's textfile directory, must not depend on the umask).
 */
export async function ensureDir(dir: string, mode?: number): Promise<void> {
  try {
    const first = await mkdir(dir, { recursive: true });
    if (first !== undefined && mode !== undefined) {
      for (let d = resolve(dir); ; d = dirname(d)) {
        await chmod(d, mode);
        if (d === resolve(first)) break;
      }
    }
  } catch (e) {
    throw new OutputError(`cannot create output directory ${dir}: ${describe(e)}`);
  }
}

/** Fails unless `dir` exists and is writable, or could be created: the nearest existing ancestor is a writable directory. Creates nothing. */
export async function checkCreatable(dir: string): Promise<void> {
  let d = resolve(dir);
  for (;;) {
    const s = await stat(d).catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' || e.code === 'ENOTDIR' ? undefined : Promise.reject(e)));
    if (s) {
      if (!s.isDirectory()) throw new OutputError(`cannot create output directory ${dir}: ${d} is not a directory`);
      try {
        await access(d, constants.W_OK);
      } catch {
        throw new OutputError(d === resolve(dir) ? `output directory ${dir} is not writable` : `cannot create output directory ${dir}: ${d} is not writable`);
      }
      return;
    }
    if (dirname(d) === d) return;
    d = dirname(d);
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes `path` so that readers only ever see the old file or the complete new one: the data goes to a
 * temp file in the same directory (same file system, so rename is atomic), reaches the disk, and is renamed
 * over the target. Without `mode` the file follows the umask (reports hold data values); with it the mode
 * is exact (node_exporter's textfiles are read by another user).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  const tmp = join(dirname(path), tempName(basename(path)));
  pending.add(tmp);
  try {
    const handle = await open(tmp, 'wx', mode ?? 0o666);
    try {
      await writeFile(handle, data);
      if (mode !== undefined) await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
    await fsyncDir(dirname(path));
  } catch (e) {
    await rm(tmp, { force: true }).catch(() => undefined);
    throw new OutputError(`cannot write ${path}: ${describe(e)}`);
  } finally {
    pending.delete(tmp);
  }
}

/** Claims a directory no other run uses: `base`, else `base-2`, `base-3`, ... (two runs in the same second). */
export async function claimUniqueDir(base: string): Promise<string> {
  await ensureDir(dirname(base));
  for (let n = 1; ; n++) {
    const dir = n === 1 ? base : `${base}-${n}`;
    try {
      await mkdir(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new OutputError(`cannot create output directory ${dir}: ${describe(e)}`);
    }
  }
}

/** One run's output files: written into a staging directory, then moved into place together. */
export interface OutputSet {
  /** Where the writers write. */
  staging: string;
  /**
   * Publishes the staged files (see `openOutput`); a run into an existing real directory also removes the
   * files of `owned` (the names runs write) that it did not write. `staged` paths → final paths.
   */
  commit(staged: string[]): Promise<string[]>;
  /** Removes what this run created. */
  abort(): Promise<void>;
  /** Why this run cannot publish atomically (an `--out` holding files mlobs did not write): for a warning. */
  notice?: string;
}

const LOCK = '.mlobs.lock';
const LOCK_WAIT_MS = 25;

/** Serialises commits into one directory: a run that finds the lock of a live run waits; a dead run's lock is taken over. */
async function lockDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, LOCK);
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      pending.add(path);
      return async () => {
        pending.delete(path);
        await rm(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new OutputError(`cannot lock output directory ${dir}: ${describe(e)}`);
      const holder = Number(await readFile(path, 'utf8').catch(() => ''));
      if (holder && !alive(holder)) await rm(path, { force: true });
      else await new Promise((r) => setTimeout(r, LOCK_WAIT_MS));
    }
  }
}

/** Moves the staged files into `dir` one by one under its lock, removing the owned names this run did not write. */
async function mergeInto(dir: string, staged: string[], owned: readonly string[]): Promise<string[]> {
  const unlock = await lockDir(dir);
  try {
    const final = staged.map((p) => join(dir, basename(p)));
    for (const [i, p] of staged.entries()) {
      await rename(p, final[i]).catch((e) => Promise.reject(new OutputError(`cannot write ${final[i]}: ${describe(e)}`)));
    }
    const kept = new Set(final.map((p) => basename(p)));
    for (const name of owned)
      if (!kept.has(name))
        await rm(join(dir, name), { force: true }).catch((e) =>
          Promise.reject(new OutputError(`cannot remove ${join(dir, name)} of an earlier run: ${describe(e)}`)),
        );
    await fsyncDir(dir);
    return final;
  } finally {
    await unlock();
  }
}

// A published run directory under `<dir>.runs/`: sortable by time, unique per process; the only names pruning removes.
const RUN_ID = /^\d{13}-\d+-[0-9a-f]{8}$/;
const runId = (ms: number) => `${String(Math.floor(ms)).padStart(13, '0')}-${process.pid}-${randomBytes(4).toString('hex')}`;

/**
 * Publishes the finished `staging` directory as `<dir>.runs/<run id>/` and points the symlink `dir` at it
 * with one rename(2) of a temp symlink, so a reader resolving `dir` sees the previous run or this one. Run
 * directories other than this one and the previous one are pruned; the previous one stays so a reader that
 * resolved the link just before the swap can finish.
 *
 * A `dir` that is still a real directory (holding only an earlier run's files, see `openOutput`) becomes the
 * previous run directory: it is moved into `<dir>.runs/` and the link takes its place. rename(2) cannot put
 * a link over a directory, so for the moment between those two renames `dir` does not exist; a reader sees
 * "no such file", never a mix, and this happens once per directory.
 */
async function swapLink(dir: string, runs: string, staging: string): Promise<void> {
  const unlock = await lockDir(runs);
  try {
    const id = runId(Date.now());
    await rename(staging, join(runs, id));
    const now = await lstat(dir).catch(() => undefined);
    const converting = now?.isDirectory() === true;
    const previous = converting ? runId(now.mtimeMs) : basename(await readlink(dir).catch(() => ''));
    const link = join(dirname(dir), tempName(basename(dir)));
    pending.add(link);
    try {
      // Relative, so the link also resolves where the parent directory is mounted elsewhere (nginx in deploy/compose).
      await symlink(join(basename(runs), id), link);
      if (converting) await rename(dir, join(runs, previous));
      await rename(link, dir).catch(async (e) => {
        if (converting) await rename(join(runs, previous), dir).catch(() => undefined);
        throw e;
      });
    } finally {
      pending.delete(link);
      await rm(link, { force: true }).catch(() => undefined);
    }
    await fsyncDir(dirname(dir));
    for (const entry of await readdir(runs)) {
      if (RUN_ID.test(entry) && entry !== id && entry !== previous) await rm(join(runs, entry), { recursive: true, force: true });
    }
  } catch (e) {
    throw e instanceof OutputError ? e : new OutputError(`cannot publish ${dir}: ${describe(e)}`);
  } finally {
    await unlock();
  }
}

/**
 * How an existing real directory `dir` can be published into: replaced whole when empty, turned into a swapped
 * link when it holds only an earlier run's files (names in `owned`, and temp files), else merged into, with
 * the reason for the warning: foreign files are never moved, and a mount point cannot be.
 */
async function realDirKind(dir: string, owned: readonly string[]): Promise<{ kind: 'new' | 'convert' | 'dir'; notice?: string }> {
  const known = new Set([...owned, LOCK]);
  const entries = await readdir(dir, { withFileTypes: true });
  // What a run leaves is regular files (and a temp staging directory of a killed run); anything else is not ours.
  const foreign = entries.filter((e) => !TEMP.test(e.name) && !(known.has(e.name) && e.isFile())).map((e) => e.name);
  const [self, parent] = await Promise.all([stat(dir), stat(dirname(resolve(dir)))]);
  const reason =
    foreign.length > 0
      ? `holds files mlobs did not write (${foreign
          .slice(0, 3)
          .map((f) => printable(f))
          .join(', ')}${foreign.length > 3 ? `, and ${foreign.length - 3} more` : ''})`
      : self.dev !== parent.dev
        ? 'is a mount point'
        : undefined;
  if (reason === undefined) return { kind: entries.length === 0 ? 'new' : 'convert' };
  return {
    kind: 'dir',
    notice: `output directory ${printable(dir)} ${reason}: its files are replaced one by one, so a reader may see a mix of two runs for a moment; give --out a directory of its own for an atomic switch`,
  };
}

async function outputKind(
  dir: string,
  runs: string,
  owned: readonly string[],
  fresh: boolean,
): Promise<{ kind: 'new' | 'link' | 'convert' | 'dir'; notice?: string }> {
  const s = await lstat(dir).catch(() => undefined);
  if (s === undefined) return { kind: (await lstat(runs).catch(() => undefined))?.isDirectory() ? 'link' : 'new' };
  if (s.isSymbolicLink()) return { kind: 'link' };
  if (fresh) return { kind: 'new' };
  return s.isDirectory() ? realDirKind(dir, owned) : { kind: 'dir' };
}

/**
 * Opens the output of one run in `dir`. The files are written complete into a staging directory, then
 * published so that a reader sees the previous set or the new one, never a mix:
 * - `dir` missing or empty, or `fresh` (the caller just created it): the staging directory is renamed into place;
 * - `dir` a symlink, or a missing one whose `<dir>.runs/` exists: see `swapLink`;
 * - `dir` a real directory holding only an earlier run's files: turned into a symlink once, see `swapLink`;
 * - `dir` a real directory holding other files, or a mount point: the files are renamed in one by one under a
 *   lock (two runs never interleave, but a reader may briefly see a mix), other files are left alone, and
 *   `notice` says so.
 * Nothing is created before this is called (validate first, create last), and a killed run leaves nothing
 * the next run does not sweep.
 */
export async function openOutput(dir: string, owned: readonly string[], fresh = false): Promise<OutputSet> {
  const runs = `${dir}.runs`;
  const { kind, notice } = await outputKind(dir, runs, owned, fresh);
  const home = kind === 'new' ? dirname(dir) : kind === 'dir' ? dir : runs;
  await ensureDir(home);
  await sweepStale(home);
  const staging = join(home, tempName(kind === 'dir' ? 'staging' : basename(dir)));
  pending.add(staging);
  try {
    await mkdir(staging);
  } catch (e) {
    pending.delete(staging);
    throw new OutputError(`cannot write into ${dir}: ${describe(e)}`);
  }
  const cleanup = async () => {
    await rm(staging, { recursive: true, force: true });
    pending.delete(staging);
  };
  return {
    staging,
    notice,
    async commit(staged) {
      try {
        if (kind === 'dir') return await mergeInto(dir, staged, owned);
        if (kind === 'link' || kind === 'convert') {
          await swapLink(dir, runs, staging);
          return staged.map((p) => join(dir, basename(p)));
        }
        // rename(2) replaces a missing or empty directory; another run that got there first leaves a full one.
        const moved = await rename(staging, dir).then(
          () => true,
          (e: NodeJS.ErrnoException) =>
            e.code === 'ENOTEMPTY' || e.code === 'EEXIST' ? false : Promise.reject(new OutputError(`cannot write ${dir}: ${describe(e)}`)),
        );
        if (moved) {
          await fsyncDir(dirname(dir));
          return staged.map((p) => join(dir, basename(p)));
        }
        return await mergeInto(dir, staged, owned);
      } finally {
        await cleanup();
      }
    },
    async abort() {
      await cleanup();
      if (kind !== 'new' && kind !== 'dir') await rmdir(runs).catch(() => undefined);
    },
  };
}
