import { execFile } from 'node:child_process';

/** Runs `git` with arguments (never through a shell) and returns trimmed stdout. */
export function git(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
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
          ...opts.env,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          const e = new Error(
            `git ${args[0]} failed: ${String(stderr || error.message).trim()}`,
          );
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
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string | undefined> {
  try {
    return await git(args, opts);
  } catch {
    return undefined;
  }
}
