import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PGBIN = process.env.PGBIN ?? '/usr/lib/postgresql/15/bin';

/** A PostgreSQL server in a temporary directory, fsync on, removed by `stop()`. */
export interface ThrowawayPostgres {
  port: number;
  version: string;
  connectionString(database?: string): string;
  stop(): void;
}

// initdb and postgres refuse to run as root: run them as the `postgres` user then.
function asServerUser(command: string, args: string[]): string[] {
  return process.getuid?.() === 0
    ? ['runuser', '-u', 'postgres', '--', command, ...args]
    : [command, ...args];
}

function run(command: string, args: string[]): string {
  const [file, ...rest] = asServerUser(command, args);
  return execFileSync(file, rest, { encoding: 'utf8', stdio: 'pipe' });
}

/** Starts a throwaway server on `port` (55441 for the incident-brief benchmark). */
export function startThrowawayPostgres(port = 55441): ThrowawayPostgres {
  const dir = mkdtempSync(join(tmpdir(), 'incident-brief-bench-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  run(`${PGBIN}/initdb`, [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
  ]);
  run(`${PGBIN}/pg_ctl`, [
    '-D',
    data,
    '-l',
    join(dir, 'server.log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c max_connections=100`,
    'start',
  ]);
  const version = run(`${PGBIN}/postgres`, ['--version']).trim();
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    const [file, ...rest] = asServerUser(`${PGBIN}/pg_ctl`, [
      '-D',
      data,
      '-m',
      'fast',
      '-w',
      'stop',
    ]);
    spawnSync(file, rest, { stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  return {
    port,
    version,
    connectionString: (database = 'postgres') =>
      `postgresql://postgres@127.0.0.1:${port}/${database}`,
    stop,
  };
}
