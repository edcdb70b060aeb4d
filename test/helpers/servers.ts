import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createNetServer } from 'node:net';

/** Servers the integration tests start on 127.0.0.1 (Prometheus and friends), stopped by PID. */
export const SECOND = 1000;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Running {
  name: string;
  child: ChildProcess;
  output: string;
}

export const running: Running[] = [];
const killAll = () => running.forEach((p) => p.child.exitCode === null && p.child.kill('SIGKILL'));
process.once('exit', killAll);

export function start(name: string, command: string, args: string[]): Running {
  const p: Running = { name, child: spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] }), output: '' };
  // The tail of each server's log goes into failure messages.
  const keep = (d: Buffer) => (p.output = (p.output + d.toString()).slice(-4000));
  p.child.stdout!.on('data', keep);
  p.child.stderr!.on('data', keep);
  running.push(p);
  return p;
}

export async function stop(p: Running): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  if (await Promise.race([exited.then(() => true), sleep(5 * SECOND).then(() => false)])) return;
  p.child.kill('SIGKILL');
  await exited;
}

export const logs = () => running.map((p) => `--- ${p.name} (exit ${p.child.exitCode ?? 'running'})\n${p.output}`).join('\n');

/** Polls `probe` until it returns something truthy; fails after `seconds` with what it waited for and the logs. */
export async function waitFor<T>(what: string, seconds: number, probe: () => Promise<T | undefined | false>): Promise<T> {
  const deadline = Date.now() + seconds * SECOND;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      last = e;
    }
    await sleep(250);
  }
  throw new Error(`timed out after ${seconds}s waiting for ${what}${last ? ` (last error: ${last})` : ''}\n${logs()}`);
}
