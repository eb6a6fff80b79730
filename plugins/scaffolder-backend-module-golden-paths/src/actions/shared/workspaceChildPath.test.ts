import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { workspaceChildPath } from './workspaceChildPath';

describe('workspaceChildPath', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'gp-wcp-'));
  const workspace = path.join(parent, 'ws');
  fs.mkdirSync(path.join(workspace, 'sub'), { recursive: true });
  // a sibling that shares the workspace's prefix: `${workspace}-evil`
  fs.mkdirSync(`${workspace}-evil`);
  afterAll(() => fs.rmSync(parent, { recursive: true, force: true }));

  it.each([
    [undefined, workspace],
    ['.', workspace],
    ['sub', path.join(workspace, 'sub')],
  ])('%s → inside', (relative, expected) => {
    expect(workspaceChildPath(workspace, relative, 'targetPath')).toBe(
      expected,
    );
  });

  it.each(['../ws-evil', '..', '/etc', 'sub/../../ws-evil'])(
    '%s → 400 naming the field',
    relative => {
      expect(() =>
        workspaceChildPath(workspace, relative, 'targetPath'),
      ).toThrow(
        `targetPath must stay inside the workspace (got ${JSON.stringify(
          relative,
        )})`,
      );
    },
  );

  it('refuses a symlink inside the workspace that points out of it', () => {
    fs.symlinkSync(`${workspace}-evil`, path.join(workspace, 'link'));
    expect(() => workspaceChildPath(workspace, 'link', 'sourcePath')).toThrow(
      'sourcePath must stay inside the workspace (got "link")',
    );
  });
});
