/** Compiles a path glob (`*` within a segment, `**` across segments) to an anchored RegExp, once at load. */
export function compileGlob(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        source += '.*';
        i++;
      } else source += '[^/]*';
    } else if (ch === '?') source += '[^/]';
    else source += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** A compiled path glob: exact paths compare as strings, patterns test a RegExp after a prefix check. */
export interface PathMatcher {
  glob: string;
  /** The glob itself when it has no wildcard; then only that exact path matches. */
  exact: string | null;
  /** The literal text before the first wildcard: every match starts with it. */
  prefix: string;
  regex: RegExp;
}

/** Compiles a glob for `firstMatch`, once at load. */
export function compilePathMatcher(glob: string): PathMatcher {
  const wildcard = glob.search(/[*?]/);
  return {
    glob,
    exact: wildcard < 0 ? glob : null,
    prefix: wildcard < 0 ? glob : glob.slice(0, wildcard),
    regex: compileGlob(glob),
  };
}

/**
 * The first path (in listing order) the glob matches, or undefined: the same answer as
 * `paths.find(p => compileGlob(glob).test(p))`, without running a RegExp per path.
 */
export function firstMatch(
  matcher: PathMatcher,
  paths: readonly string[],
): string | undefined {
  const { exact, prefix, regex } = matcher;
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i];
    // A listing is strings; anything else is tested as RegExp#test would (coerced to text).
    if (typeof path !== 'string') {
      if (regex.test(path)) return path;
    } else if (
      exact !== null
        ? path === exact
        : path.startsWith(prefix) && regex.test(path)
    ) {
      return path;
    }
  }
  return undefined;
}
