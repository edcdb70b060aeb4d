/* global fetch, URLSearchParams -- Node's, which the lint config does not list for plain JS files */
/**
 * Two ClickHouse servers on 127.0.0.1 as plain processes (Debian's clickhouse-server), forming a 2-shard
 * cluster `mlobs` without ZooKeeper: tables are created on each server in turn. Stopped by PID, directories
 * removed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const CLICKHOUSE_BIN = ['/usr/bin/clickhouse-server', '/usr/sbin/clickhouse-server'].find((p) => existsSync(p));

export const USER = 'mlobs';
export const PASSWORD = 'pushdown-test-secret';

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * @typedef {{ http: number, tcp: number, process: import('node:child_process').ChildProcess }} Server
 * @typedef {{ servers: Server[], url: string, everywhere(sql: string): Promise<void>, query(sql: string, body?: Buffer, server?: number): Promise<string>, stop(): void }} Cluster
 */

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage><max_bytes_before_external_group_by>1000000000</max_bytes_before_external_group_by></default></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
    <${USER}><password>${PASSWORD}</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></${USER}>
  </users>
  <quotas><default></default></quotas>
</yandex>
`;

function configXml(dir, http, tcp, interserver, shards) {
  const shardXml = shards.map((p) => `<shard><replica><host>127.0.0.1</host><port>${p}</port></replica></shard>`).join('');
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>error</level><log>${dir}/server.log</log><errorlog>${dir}/error.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <interserver_http_port>${interserver}</interserver_http_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/schemas/</format_schema_path>
  <users_config>${dir}/../users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>5368709120</mark_cache_size>
  <remote_servers><mlobs>${shardXml}</mlobs></remote_servers>
</yandex>
`;
}

async function waitForPing(port, child) {
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`clickhouse-server on port ${port} exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ping`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`clickhouse-server on port ${port} did not answer /ping`);
}

/**
 * `everywhere` runs a statement on every server (DDL; ON CLUSTER needs ZooKeeper); `url` is the first server's.
 * @returns {Promise<Cluster>}
 */
export async function startCluster() {
  const root = mkdtempSync(join(tmpdir(), 'mlobs-clickhouse-'));
  /** @type {Server[]} */
  const servers = [];
  const kill = () => {
    for (const s of servers) if (s.process.exitCode === null && s.process.signalCode === null) s.process.kill('SIGKILL');
  };
  // A test worker that dies (or a beforeAll that times out mid-start) must not leave servers behind.
  process.once('exit', kill);
  // Waits for the exit events (a reaped child), not `kill -0`, which a zombie still answers.
  const stop = async () => {
    kill();
    await Promise.all(
      servers.map((s) => (s.process.exitCode !== null || s.process.signalCode !== null ? null : new Promise((r) => s.process.once('exit', r)))),
    );
    process.removeListener('exit', kill);
    rmSync(root, { recursive: true, force: true });
  };
  try {
    writeFileSync(join(root, 'users.xml'), USERS_XML);
    const ports = await Promise.all(Array.from({ length: 6 }, freePort));
    const tcps = [ports[1], ports[4]];
    for (let k = 0; k < 2; k++) {
      const [http, tcp, inter] = ports.slice(3 * k, 3 * k + 3);
      const dir = join(root, `s${k}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'config.xml'), configXml(dir, http, tcp, inter, tcps));
      const child = spawn(CLICKHOUSE_BIN, [`--config-file=${join(dir, 'config.xml')}`], { cwd: dir, stdio: 'ignore' });
      servers.push({ http, tcp, process: child });
    }
    // A server that cannot even be spawned (missing binary, EACCES) fails the start instead of escaping as an uncaught error.
    const spawnFailed = servers.map((s) => new Promise((_, reject) => s.process.once('error', reject)));
    await Promise.race([Promise.all(servers.map((s) => waitForPing(s.http, s.process))), ...spawnFailed]);
  } catch (e) {
    await stop();
    throw e;
  }
  const query = async (sql, body, server = 0) => {
    const params = new URLSearchParams({ user: USER, password: PASSWORD, query: sql, insert_distributed_sync: '1' });
    const res = await fetch(`http://127.0.0.1:${servers[server].http}/?${params}`, { method: 'POST', body: body ?? '' });
    const text = await res.text();
    if (!res.ok) throw new Error(`ClickHouse: ${text}`);
    return text;
  };
  return {
    servers,
    url: `clickhouse://${USER}@127.0.0.1:${servers[0].http}/default`,
    everywhere: async (sql) => {
      for (let k = 0; k < servers.length; k++) await query(sql, undefined, k);
    },
    query,
    stop,
  };
}
