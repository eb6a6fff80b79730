/**
 * Which answers of a catalog snapshot an evaluation read, so that a change elsewhere in the
 * catalog does not make every evaluation look changed (the catalog module reuses an
 * evaluation across snapshot refreshes while none of its reads changed).
 *
 * A read is one lookup of `CatalogIndex`: a one-letter code and the ref it was asked for
 * (`g` get, `d` dependentsOf, `c` consumersOfApi, `p` providersOfApi, `m` membersOf,
 * `k` childGroupsOf, `a` parentOf). Reads are collected while an evaluation runs inside
 * `collectCatalogReads`; evaluations are synchronous, so one stack of frames per process is
 * enough. Answers kept across evaluations (the snapshot's memo of owner chains and member
 * counts, the last lookups kept beside it) carry the reads they were computed from and play
 * them again on every hit (`noteCatalogReads`), so an evaluation served from a memo reads the
 * same as one that computed everything itself.
 */

/** One lookup: its code and the ref asked for (see the module comment). */
export type CatalogRead = string;

/** What one computation read: lookups, and the read lists of memo answers it used. */
export type CatalogReads = readonly (CatalogRead | CatalogReads)[];

/** The lookups a snapshot answers, by read code. */
export type CatalogReadCode = 'g' | 'd' | 'c' | 'p' | 'm' | 'k' | 'a';

type Frame = Set<CatalogRead | CatalogReads>;

const frames: Frame[] = [];

const NO_READS: CatalogReads = [];

/**
 * One text per read: the catalog module keeps every evaluation's reads for as long as it reuses
 * it, and many evaluations read the same System, owner or API. On the benchmark's world (5,000
 * entities, ~9 distinct reads each) the kept reads take 0.5 MB this way; with a text of their
 * own per evaluation they took 4.5 MB more.
 */
const interned: Record<CatalogReadCode, Map<string, CatalogRead>> = {
  g: new Map(),
  d: new Map(),
  c: new Map(),
  p: new Map(),
  m: new Map(),
  k: new Map(),
  a: new Map(),
};
let internedCount = 0;
/** Past this many distinct reads the tables start again (texts already kept stay valid). */
const MAX_INTERNED = 500_000;

/**
 * The read of `ref` through the lookup `code`: its text, the same text for every equal read
 * (found by the ref in a table per code, so a read made before costs no new text; an evaluation
 * reads the same owner, System and APIs as many others).
 */
export function catalogRead(code: CatalogReadCode, ref: string): CatalogRead {
  const table = interned[code];
  let read = table.get(ref);
  if (read === undefined) {
    if (++internedCount > MAX_INTERNED) {
      for (const codeTable of Object.values(interned)) codeTable.clear();
      internedCount = 1;
    }
    read = code + ref;
    table.set(ref, read);
  }
  return read;
}

/** Records one lookup in the innermost collection, if one is running. */
export function noteCatalogRead(code: CatalogReadCode, ref: string): void {
  const n = frames.length;
  if (n > 0) frames[n - 1].add(catalogRead(code, ref));
}

/** Plays the reads of a kept answer into the innermost collection, if one is running. */
export function noteCatalogReads(reads: CatalogReads | undefined): void {
  const n = frames.length;
  if (n > 0 && reads !== undefined && reads.length > 0)
    frames[n - 1].add(reads);
}

/**
 * Runs `compute` and returns what it read. A collection running around this one receives the
 * same reads, so a memo computed during an evaluation is both kept with its reads and counted
 * for the evaluation; also when `compute` throws (the evaluation then answers from what it
 * read before, e.g. a check that turned unknown).
 */
export function collectCatalogReads<T>(compute: () => T): {
  value: T;
  reads: CatalogReads;
} {
  const frame: Frame = new Set();
  frames.push(frame);
  let value: T;
  let reads: CatalogReads;
  try {
    value = compute();
  } finally {
    frames.pop();
    reads = frame.size === 0 ? NO_READS : [...frame];
    noteCatalogReads(reads);
  }
  return { value, reads };
}

/** Whether `changed` holds for any read of `reads`, nested lists included. */
export function someCatalogRead(
  reads: CatalogReads,
  changed: (read: CatalogRead) => boolean,
): boolean {
  for (const read of reads) {
    if (
      typeof read === 'string' ? changed(read) : someCatalogRead(read, changed)
    )
      return true;
  }
  return false;
}

/** Every read of `reads` once, nested lists flattened (for tests and diagnostics). */
export function flattenCatalogReads(reads: CatalogReads): Set<CatalogRead> {
  const out = new Set<CatalogRead>();
  const visit = (list: CatalogReads) => {
    for (const read of list) {
      if (typeof read === 'string') out.add(read);
      else visit(read);
    }
  };
  visit(reads);
  return out;
}
