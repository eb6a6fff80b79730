import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  configuredSshCommand,
  defaultSshCommand,
  enterTaskSignal,
  git,
} from './gitCli';
import { startSilentServer } from '../__testUtils__/silentServer';

jest.setTimeout(30_000);

describe('git', () => {
  it('fails a call to a remote that accepts and never answers, instead of waiting for ever', async () => {
    const silent = await startSilentServer();
    try {
      const started = Date.now();
      await expect(
        git(
          ['ls-remote', `http://127.0.0.1:${silent.port}/org/repo.git`, 'main'],
          {
            timeoutMs: 1_000,
          },
        ),
      ).rejects.toThrow('git ls-remote failed: timed out after 1 s');
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      silent.close();
    }
  });

  it('stops when the task is cancelled', async () => {
    const controller = new AbortController();
    const call = git(['-c', 'alias.wait=!sleep 20', 'wait'], {
      signal: controller.signal,
    });
    controller.abort();
    await expect(call).rejects.toThrow(
      'git -c failed: stopped: the task was cancelled',
    );
  });

  it("keeps the operator's SSH command (GIT_SSH_COMMAND, GIT_SSH or core.sshCommand) and adds keep-alives only without one", () => {
    const none = () => '';
    expect(defaultSshCommand({}, none)).toMatch(/ServerAliveInterval/);
    expect(
      defaultSshCommand({ GIT_SSH_COMMAND: 'ssh -i key' }, none),
    ).toBeUndefined();
    expect(
      defaultSshCommand({ GIT_SSH: '/usr/local/bin/deploy-ssh' }, none),
    ).toBeUndefined();
    expect(
      defaultSshCommand({}, () => 'ssh -i /keys/deploy\n'),
    ).toBeUndefined();
  });

  it("stops the calls of an action whose task is cancelled, and only that action's", async () => {
    const controller = new AbortController();
    const action = async () => {
      await Promise.resolve();
      enterTaskSignal(controller.signal);
      return git(['-c', 'alias.wait=!sleep 20', 'wait']);
    };
    const call = action();
    const elsewhere = git(['-c', 'alias.quick=!true', 'quick']);
    controller.abort();
    await expect(call).rejects.toThrow('stopped: the task was cancelled');
    await expect(elsewhere).resolves.toBe('');
  });

  it('reads core.sshCommand as its calls do: the global file counts, the system file does not', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'gitcli-'));
    const file = path.join(dir, 'gitconfig');
    await fs.writeFile(file, '[core]\n\tsshCommand = ssh -i /keys/deploy\n');
    try {
      const env = { PATH: process.env.PATH, HOME: dir };
      expect(configuredSshCommand({ ...env, GIT_CONFIG_SYSTEM: file })).toBe(
        '',
      );
      expect(configuredSshCommand({ ...env, GIT_CONFIG_GLOBAL: file })).toBe(
        'ssh -i /keys/deploy',
      );
      expect(defaultSshCommand({ ...env, GIT_CONFIG_SYSTEM: file })).toMatch(
        /ServerAliveInterval/,
      );
      expect(
        defaultSshCommand({ ...env, GIT_CONFIG_GLOBAL: file }),
      ).toBeUndefined();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('runs with low-speed limits, so a stalled transfer ends', async () => {
    const env = await git(['-c', 'alias.envdump=!env', 'envdump']);
    expect(env).toContain('GIT_HTTP_LOW_SPEED_LIMIT=1000');
    expect(env).toContain('GIT_HTTP_LOW_SPEED_TIME=60');
    expect(env).toMatch(/GIT_SSH_COMMAND=.*ServerAliveInterval/);
  });
});
