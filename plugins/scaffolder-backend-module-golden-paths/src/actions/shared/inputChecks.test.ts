import { assertBranchName, assertDateTime, assertFullRef } from './inputChecks';

/** The message a check throws, or 'ok'. */
function outcome(check: () => void): string {
  try {
    check();
    return 'ok';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('action input checks', () => {
  it.each([
    ['2026-03-14T02:05:00Z', 'ok'],
    ['2026-03-14T02:05:00.123+01:00', 'ok'],
    [
      'not-a-date',
      'createdAt must be an ISO-8601 date-time with a zone, e.g. 2026-03-14T02:05:00Z (got "not-a-date")',
    ],
    [
      '2026-02-31T00:00:00Z',
      'createdAt must be an ISO-8601 date-time with a zone, e.g. 2026-03-14T02:05:00Z (got "2026-02-31T00:00:00Z")',
    ],
    [
      '2026-03-14',
      'createdAt must be an ISO-8601 date-time with a zone, e.g. 2026-03-14T02:05:00Z (got "2026-03-14")',
    ],
  ])('createdAt %s → %s', (value, expected) => {
    expect(outcome(() => assertDateTime('createdAt', value))).toBe(expected);
  });

  it.each([
    ['main', 'ok'],
    ['release/2026.12', 'ok'],
    [
      'bad branch',
      'defaultBranch must be a git branch name such as main (got "bad branch")',
    ],
    ['-x', 'defaultBranch must be a git branch name such as main (got "-x")'],
    [
      'a..b',
      'defaultBranch must be a git branch name such as main (got "a..b")',
    ],
    [
      'main.lock',
      'defaultBranch must be a git branch name such as main (got "main.lock")',
    ],
  ])('defaultBranch %s → %s', (value, expected) => {
    expect(outcome(() => assertBranchName('defaultBranch', value))).toBe(
      expected,
    );
  });

  it.each([
    ['component:default/cart-api', 'ok'],
    [
      'not a ref',
      'entityRef must be a full entity ref such as component:default/<name> (got "not a ref")',
    ],
  ])('entityRef %s → %s', (value, expected) => {
    expect(outcome(() => assertFullRef('entityRef', value))).toBe(expected);
  });
});
