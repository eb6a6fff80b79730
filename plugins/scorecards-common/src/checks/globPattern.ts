import { globToRegExp } from '@internal/plugin-evidence-common';

/**
 * Compiles a path glob to an anchored RegExp, once at load, with the repository collector's own
 * syntax (evidence-common `globToRegExp`): `*` within a segment, `**` across segments, and `**\/`
 * also for no directory at all (`slo/**\/*.yaml` matches `slo/a.yaml`, `**\/README.md` matches
 * `README.md`), so a check finds exactly the paths the collector lists for that glob.
 */
export function compileGlob(glob: string): RegExp {
  return globToRegExp(glob);
}

/** A compiled path glob: exact paths compare as strings, patterns test a RegExp after a prefix check. */
export interface PathMatcher {
  glob: string;
  /** The glob itself when it has no wildcard; then only that exact path matches. */
  exact: string | null;
  /** The exact glob's number for `ListingIndex`, -1 for patterns (and past the numbering cap). */
  exactNumber: number;
  /** The literal text before the first wildcard: every match starts with it. */
  prefix: string;
  regex: RegExp;
}

/**
 * Every wildcard-free glob compiled so far, numbered: a listing is indexed once against all of
 * them (`indexListing`), and each exact glob is then answered by a lookup instead of a scan. A
 * standard holds a few dozen such globs; the numbering is capped all the same.
 */
const exactNumbers = new Map<string, number>();
const MAX_EXACT_NUMBERS = 4096;

/**
 * Which (length, first character) pairs the numbered exact globs have, so a listing's path that
 * no exact glob could equal is passed over without a map lookup. Paths of 64 characters or more,
 * or starting with a non-ASCII character, are always looked up.
 */
const SHAPE_LENGTHS = 64;
const exactShapes = new Uint8Array(SHAPE_LENGTHS * 128);

function shapeIndex(text: string): number {
  const n = text.length;
  if (n === 0 || n >= SHAPE_LENGTHS) return -1;
  const first = text.charCodeAt(0);
  return first < 128 ? n * 128 + first : -1;
}

function exactNumber(glob: string): number {
  const known = exactNumbers.get(glob);
  if (known !== undefined) return known;
  if (exactNumbers.size >= MAX_EXACT_NUMBERS) return -1;
  const number = exactNumbers.size;
  exactNumbers.set(glob, number);
  const shape = shapeIndex(glob);
  if (shape >= 0) exactShapes[shape] = 1;
  return number;
}

/** Compiles a glob for `firstMatch`, once at load. */
export function compilePathMatcher(glob: string): PathMatcher {
  const wildcard = glob.search(/[*?]/);
  return {
    glob,
    exact: wildcard < 0 ? glob : null,
    exactNumber: wildcard < 0 ? exactNumber(glob) : -1,
    prefix: wildcard < 0 ? glob : glob.slice(0, wildcard),
    regex: compileGlob(glob),
  };
}

/**
 * A listing indexed against every numbered exact glob: `firstAt[n]` is one more than the
 * position of the first path equal to glob `n` (0 for none). Null when the listing holds
 * anything but strings, where `firstMatch`'s RegExp semantics apply.
 */
export class ListingIndex {
  constructor(
    readonly paths: readonly string[],
    readonly firstAt: Int32Array | null,
  ) {}
}

/** Indexes a listing in one pass (one map lookup per path). */
export function indexListing(paths: readonly string[]): ListingIndex {
  const firstAt = new Int32Array(exactNumbers.size);
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i];
    if (typeof path !== 'string') return new ListingIndex(paths, null);
    const shape = shapeIndex(path);
    if (shape >= 0 && exactShapes[shape] === 0) continue;
    const number = exactNumbers.get(path);
    if (number !== undefined && firstAt[number] === 0) firstAt[number] = i + 1;
  }
  return new ListingIndex(paths, firstAt);
}

/** `firstMatch(matcher, index.paths)`, looked up for exact globs the index knows. */
export function firstMatchIn(
  index: ListingIndex,
  matcher: PathMatcher,
): string | undefined {
  const firstAt = index.firstAt;
  const number = matcher.exactNumber;
  if (firstAt !== null && number >= 0 && number < firstAt.length) {
    const at = firstAt[number];
    return at === 0 ? undefined : index.paths[at - 1];
  }
  return firstMatch(matcher, index.paths);
}

/**
 * The first path (in listing order) the glob matches, or undefined: the same answer as
 * `paths.find(p => compileGlob(glob).test(p))`, without running a RegExp per path. A listing
 * holds a few dozen paths and a standard tests about twenty globs against it per entity, so
 * paths are rejected on their length or first character before any string comparison.
 */
export function firstMatch(
  matcher: PathMatcher,
  paths: readonly string[],
): string | undefined {
  return matcher.exact !== null
    ? firstExact(matcher.exact, matcher.regex, paths)
    : firstGlob(matcher.prefix, matcher.regex, paths);
}

/** The first path equal to `exact` (a glob without wildcards). */
function firstExact(
  exact: string,
  regex: RegExp,
  paths: readonly string[],
): string | undefined {
  const length = exact.length;
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i];
    if (typeof path === 'string') {
      if (path.length === length && path === exact) return path;
    } else if (regex.test(path)) {
      // A listing is strings; anything else is tested as RegExp#test would (coerced to text).
      return path;
    }
  }
  return undefined;
}

/** The first path starting with the glob's literal prefix that its RegExp matches. */
function firstGlob(
  prefix: string,
  regex: RegExp,
  paths: readonly string[],
): string | undefined {
  const length = prefix.length;
  const first = length > 0 ? prefix.charCodeAt(0) : -1;
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i];
    if (typeof path === 'string') {
      if (
        path.length >= length &&
        (first < 0 || path.charCodeAt(0) === first) &&
        path.startsWith(prefix) &&
        regex.test(path)
      )
        return path;
    } else if (regex.test(path)) {
      return path;
    }
  }
  return undefined;
}
