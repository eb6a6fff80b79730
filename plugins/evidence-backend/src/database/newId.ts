import { randomFillSync } from 'node:crypto';
import { ulid } from 'ulid';

// ulid() draws one crypto call per random character; a batch of 500 rows makes 8,000 of them.
// Drawing from a refilled pool of random bytes is as random and an order of magnitude cheaper.
const pool = new Uint8Array(4096);
let offset = pool.length;

function pooledRandom(): number {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  return pool[offset++] / 256;
}

/** A new ULID for a row written at `now` (epoch ms). */
export function newId(now: number): string {
  return ulid(now, pooledRandom);
}
