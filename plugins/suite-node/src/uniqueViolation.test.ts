import { isUniqueViolation } from './uniqueViolation';

describe('isUniqueViolation', () => {
  it.each([
    [{ code: '23505' }, true],
    [{ code: 'SQLITE_CONSTRAINT_UNIQUE' }, true],
    [{ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }, true],
    [{ code: 'ER_DUP_ENTRY' }, true],
    [
      {
        code: 'SQLITE_CONSTRAINT',
        message: 'SQLITE_CONSTRAINT: UNIQUE constraint failed: t.k',
      },
      true,
    ],
    [
      {
        code: 'SQLITE_CONSTRAINT',
        message: 'SQLITE_CONSTRAINT: NOT NULL constraint failed: t.k',
      },
      false,
    ],
    [{ code: 'SQLITE_CONSTRAINT_NOTNULL' }, false],
    [{ code: '23502' }, false],
    [new Error('UNIQUE constraint failed'), false],
    [undefined, false],
    ['23505', false],
  ])('%j → %s', (error, expected) => {
    expect(isUniqueViolation(error)).toBe(expected);
  });
});
