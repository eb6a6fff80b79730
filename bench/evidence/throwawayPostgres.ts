import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `$PGBIN`, else the newest installed Debian major version (as `.ci/lib/postgres.sh` finds it). */
function serverBinaries(): string {
  if (process.env.PGBIN) return process.env.PGBIN;
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter(v => /^\d+$/.test(v) && existsSync(join(root, v, 'bin/initdb')))
        .sort((a, b) => Number(a) - Number(b))
    : [];
  if (majors.length === 0) {
    throw new Error(
      `no PostgreSQL server under ${root}: apt-get install postgresql`,
    );
  }
  return join(root, majors[majors.length - 1], 'bin');
}

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

/** Starts a throwaway server on `port` (55436 for the benchmarks). */
export function startThrowawayPostgres(port = 55436): ThrowawayPostgres {
  const PGBIN = serverBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'evidence-bench-pg-'));
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
  // pg_ctl starts the server in a process group of its own, which a Ctrl-C or a kill of this
  // process never reaches, and Node emits no 'exit' on a signal: stop it, then die of it.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      stop();
      process.kill(process.pid, signal);
    });
  }
  return {
    port,
    version,
    connectionString: (database = 'postgres') =>
      `postgresql://postgres@127.0.0.1:${port}/${database}`,
    stop,
  };
}
