import { AsyncLocalStorage } from 'node:async_hooks';
import { execFile, execFileSync } from 'node:child_process';
import os from 'node:os';

/**
 * The longest any one git call may take. A remote that accepts the connection and then says
 * nothing made `ls-remote`, `fetch`, `push` and `clone` wait for ever (git has no timeout of its
 * own): the scaffolder task hung, cancelling it changed nothing, and after the request's lease a
 * rerun could push beside it. Ten minutes leaves a large push room; a stall ends sooner through
 * the low-speed limits below.
 */
export const GIT_TIMEOUT_MS = 10 * 60_000;

const KEEPALIVE_SSH =
  'ssh -o BatchMode=yes -o ConnectTimeout=30 -o ServerAliveInterval=15 -o ServerAliveCountMax=4';
let sshDefault: { value: string | undefined } | undefined;

/**
 * The `core.sshCommand` git calls here would read: without the system file
 * (`GIT_CONFIG_NOSYSTEM`, as every call runs) and outside any repository (the process's working
 * directory may be one). Empty when unset or unreadable.
 */
export function configuredSshCommand(
  env: NodeJS.ProcessEnv = process.env,
): string {
  try {
    return execFileSync('git', ['config', '--get', 'core.sshCommand'], {
      encoding: 'utf8',
      timeout: 5_000,
      cwd: os.tmpdir(),
      env: { ...env, GIT_CONFIG_NOSYSTEM: '1' },
    }).trim();
  } catch {
    return ''; // exits 1 when unset
  }
}

/**
 * The SSH command git runs unless the operator chose one: `GIT_SSH_COMMAND` wins over `GIT_SSH`
 * and `core.sshCommand` in git, so setting it over theirs would drop their deploy key. Asked
 * once per process.
 */
export function defaultSshCommand(
  env: NodeJS.ProcessEnv = process.env,
  configured: () => string = () => configuredSshCommand(env),
): string | undefined {
  if (env.GIT_SSH_COMMAND || env.GIT_SSH) return undefined;
  if (configured()) return undefined;
  return KEEPALIVE_SSH;
}

function sshCommand(): string | undefined {
  sshDefault ??= { value: defaultSshCommand() };
  return sshDefault.value;
}

const taskSignals = new AsyncLocalStorage<AbortSignal | undefined>();

/**
 * Makes every git call made from here on in this action stop when the task is cancelled
 * (`ctx.signal`), without passing the signal through each helper. Call it in the action's
 * handler after an `await`, so the signal belongs to the handler's own continuation and never
 * to the scaffolder code that called it.
 */
export function enterTaskSignal(signal: AbortSignal | undefined): void {
  taskSignals.enterWith(signal);
}

/** Options of {@link git}. */
export interface GitOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Default {@link GIT_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Stops the call (the task was cancelled); default the task's, {@link enterTaskSignal}. */
  signal?: AbortSignal;
}

/**
 * Runs `git` with arguments (never through a shell) and returns trimmed stdout; fails after
 * `timeoutMs`, and over HTTP(S) or SSH once the remote sends less than 1 KB/s for a minute.
 */
export function git(args: string[], opts: GitOptions = {}): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? GIT_TIMEOUT_MS;
  const signal = opts.signal ?? taskSignals.getStore();
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: opts.cwd,
        env: {
          ...process.env,
          // Never prompt, never read the user's hooks or templates.
          GIT_TERMINAL_PROMPT: '0',
          GIT_CONFIG_NOSYSTEM: '1',
          // A remote that stalls mid-transfer: HTTP(S) below 1 KB/s for 60 s, SSH silent for 60 s.
          GIT_HTTP_LOW_SPEED_LIMIT: '1000',
          GIT_HTTP_LOW_SPEED_TIME: '60',
          ...(sshCommand() ? { GIT_SSH_COMMAND: sshCommand() } : {}),
          ...opts.env,
        },
        maxBuffer: 64 * 1024 * 1024,
        timeout: timeoutMs,
        killSignal: 'SIGKILL',
        signal,
      },
      (error, stdout, stderr) => {
        if (error) {
          // `killed` is also set when the output passes maxBuffer: that is no timeout
          const killed =
            (error as Error & { killed?: boolean }).killed &&
            (error as Error & { code?: unknown }).code !==
              'ERR_CHILD_PROCESS_STDIO_MAXBUFFER';
          let why = String(stderr || error.message).trim();
          if (signal?.aborted) why = 'stopped: the task was cancelled';
          else if (killed)
            why = `timed out after ${Math.round(timeoutMs / 1000)} s`;
          const e = new Error(`git ${args[0]} failed: ${why}`);
          (e as Error & { code?: unknown }).code = (
            error as Error & { code?: unknown }
          ).code;
          reject(e);
        } else {
          resolve(stdout.trim());
        }
      },
    );
  });
}

/** Like {@link git} but resolves `undefined` instead of failing (existence probes). */
export async function gitMaybe(
  args: string[],
  opts: GitOptions = {},
): Promise<string | undefined> {
  try {
    return await git(args, opts);
  } catch {
    return undefined;
  }
}
