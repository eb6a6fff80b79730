import { TestDatabases } from '@backstage/backend-test-utils';
import { keyDigest, lockKeys } from './keyLocks';

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
  disableDocker: true,
});

/** Resolves after the event loop has had `ms` to run anything that is not blocked. */
const settle = (ms = 150) => new Promise(r => setTimeout(r, ms));

describe('keyDigest', () => {
  it('is a signed 32-bit integer, the same for the same key', () => {
    const d = keyDigest('component:default/a');
    expect(Number.isInteger(d)).toBe(true);
    expect(d).toBeGreaterThanOrEqual(-(2 ** 31));
    expect(d).toBeLessThan(2 ** 31);
    expect(keyDigest('component:default/a')).toBe(d);
    expect(keyDigest('component:default/b')).not.toBe(d);
  });
});

describe.each(databases.eachSupportedId())('lockKeys on %p', databaseId => {
  it('takes no lock for no keys, and a key twice in one transaction', async () => {
    const knex = await databases.init(databaseId);
    const done = knex.transaction(async trx => {
      await lockKeys(trx, 1, []);
      await lockKeys(trx, 1, ['a', 'a', 'b']);
      // re-entrant: a savepoint locks a key its transaction holds
      await trx.transaction(sp => lockKeys(sp, 1, ['b', 'a']));
      return 'committed';
    });
    await expect(done).resolves.toBe('committed');
  });

  if (!databaseId.startsWith('POSTGRES')) return;

  it('makes a second writer of a key wait until the first commits, then see its row', async () => {
    const knex = await databases.init(databaseId);
    await knex.schema.createTable('lock_probe', t => t.string('k'));
    let releaseFirst!: () => void;
    const firstHolds = new Promise<void>(r => {
      releaseFirst = r;
    });
    const order: string[] = [];
    const first = knex.transaction(async trx => {
      await lockKeys(trx, 7, ['x']);
      await trx('lock_probe').insert({ k: 'x' });
      order.push('first locked');
      await firstHolds;
      order.push('first commits');
    });
    await settle();
    const second = knex.transaction(async trx => {
      await lockKeys(trx, 7, ['y', 'x']);
      order.push('second locked');
      return trx('lock_probe').where({ k: 'x' });
    });
    await settle();
    // another space, the same key: not blocked
    await knex.transaction(trx => lockKeys(trx, 8, ['x']));
    expect(order).toEqual(['first locked']);
    releaseFirst();
    await first;
    const seen = await second;
    expect(order).toEqual(['first locked', 'first commits', 'second locked']);
    expect(seen).toHaveLength(1);
  });
});
