import type { ChildProcess } from 'node:child_process';

export const CLICKHOUSE_BIN: string | undefined;
export const USER: string;
export const PASSWORD: string;

export interface Server {
  http: number;
  tcp: number;
  process: ChildProcess;
}

export interface Cluster {
  servers: Server[];
  /** `clickhouse://mlobs@127.0.0.1:<port>/default` of the first server. */
  url: string;
  /** Runs a statement on every server (DDL; ON CLUSTER needs ZooKeeper). */
  everywhere(sql: string): Promise<void>;
  query(sql: string, body?: Buffer, server?: number): Promise<string>;
  stop(): Promise<void>;
}

export function startCluster(): Promise<Cluster>;
