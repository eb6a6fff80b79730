import { withoutUserInfo } from './remotePolicy';

describe('withoutUserInfo', () => {
  it.each([
    [
      'https://bot:ghp_abcdefghijklmnopqrstuvwxyz0123456789@evil.example.com/x.git',
      'https://***@evil.example.com/x.git',
    ],
    [
      'https://bot:p@ss@host.example.com/x.git',
      'https://***@host.example.com/x.git',
    ],
    ['https://git.example.com/org/x.git', 'https://git.example.com/org/x.git'],
    [
      'https://git.example.com/org/x.git?u=a@b',
      'https://git.example.com/org/x.git?u=a@b',
    ],
    [
      'ssh://git@git.example.com/org/x.git',
      'ssh://***@git.example.com/org/x.git',
    ],
  ])('%s → %s', (url, expected) => {
    expect(withoutUserInfo(url)).toBe(expected);
  });
});
