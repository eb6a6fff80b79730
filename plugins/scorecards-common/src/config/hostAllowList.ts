const LABEL = '[a-z0-9](?:[a-z0-9-]*[a-z0-9])?';
const HOST_PATTERN = new RegExp(`^${LABEL}(?:\\.${LABEL})*$`);
// A wildcard names at least two labels (`*.example.com`): `*` or `*.com` would allow the world.
const WILDCARD_PATTERN = new RegExp(`^\\*\\.${LABEL}(?:\\.${LABEL})+$`);

/**
 * The hosts the link checker may call (`scorecards.linkCheck.allowedHosts`): exact host names
 * (`runbooks.example.com`, `127.0.0.1`) or `*.suffix` wildcards, which match any host that ends
 * in `.suffix` (not the bare suffix itself). Ports are not part of an entry: an allowed host is
 * allowed on every port, as the `runbook-link-valid` check compares host names only. Shared by
 * the link checker of `scorecards-backend` (what it calls) and the `entity-link` check type (which
 * links it expects a result for), so both read the config the same way.
 */
const lenientLists = new WeakMap<readonly string[], HostAllowList>();

export class HostAllowList {
  private readonly exact: ReadonlySet<string>;
  private readonly suffixes: readonly string[];

  private constructor(exact: string[], suffixes: string[]) {
    this.exact = new Set(exact);
    this.suffixes = suffixes;
  }

  /** Validates the configured entries; throws an Error naming the key and the bad entry. */
  static parse(entries: readonly string[], key: string): HostAllowList {
    const exact: string[] = [];
    const suffixes: string[] = [];
    entries.forEach((raw, i) => {
      const entry = raw.trim().toLowerCase();
      if (WILDCARD_PATTERN.test(entry)) {
        suffixes.push(entry.slice(1)); // ".example.com"
      } else if (HOST_PATTERN.test(entry)) {
        exact.push(entry);
      } else {
        throw new Error(
          `${key}[${i}] "${raw}" is not a host name or a "*.example.com" wildcard (no scheme, port, path, and a wildcard needs at least two labels after "*.")`,
        );
      }
    });
    return new HostAllowList(exact, suffixes);
  }

  /**
   * The allow list of an already validated config, skipping entries `parse` would refuse (the
   * engine never throws over configuration: a link on a host it cannot place stays unknown).
   * One list per entries array, so a standard's config compiles it once.
   */
  static lenient(entries: readonly string[]): HostAllowList {
    let list = lenientLists.get(entries);
    if (!list) {
      const valid = entries.filter(e => {
        const entry = e.trim().toLowerCase();
        return WILDCARD_PATTERN.test(entry) || HOST_PATTERN.test(entry);
      });
      list = HostAllowList.parse(valid, 'allowedHosts');
      lenientLists.set(entries, list);
    }
    return list;
  }

  get size(): number {
    return this.exact.size + this.suffixes.length;
  }

  /** Whether `hostname` (as `URL.hostname` gives it: lower case, no port) may be called. */
  allows(hostname: string): boolean {
    const host = hostname.toLowerCase();
    if (this.exact.has(host)) return true;
    return this.suffixes.some(s => host.endsWith(s));
  }
}
