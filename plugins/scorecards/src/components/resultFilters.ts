import {
  CheckClass,
  CheckResult,
  LEVEL_IDS,
  LevelId,
  ResultState,
  THEMES,
} from '@internal/plugin-scorecards-common';

/** Every value of a filter: the select's "All …" choice. */
export const ALL = 'all';

export const STATES: readonly ResultState[] = [
  'pass',
  'fail',
  'unknown',
  'waived',
  'not-applicable',
];

/** Classes in the order of the checks page's class filter. */
export const CLASSES: readonly CheckClass[] = [
  'required',
  'contextual',
  'recommended',
];

/** A check without a level (`level: null`, e.g. a lifecycle check) under the level filter. */
export const NO_LEVEL = 'no-level';

export type LevelFilterValue = LevelId | typeof NO_LEVEL;

export const LEVELS: readonly LevelFilterValue[] = [...LEVEL_IDS, NO_LEVEL];

/**
 * Which results the tab shows (§7.2: filters by state, class, level and theme); a result must
 * match every filter that is not {@link ALL}. `theme` is a {@link themeKeyOf} key.
 */
export interface ResultFilter {
  state: ResultState | typeof ALL;
  checkClass: CheckClass | typeof ALL;
  level: LevelFilterValue | typeof ALL;
  theme: string;
}

export const NO_FILTER: ResultFilter = {
  state: ALL,
  checkClass: ALL,
  level: ALL,
  theme: ALL,
};

const KNOWN_THEMES: ReadonlySet<string> = new Set(THEMES);
/** Keys of themes this build does not list and of results without one; never a theme id of §4. */
const UNKNOWN_THEME_PREFIX = 'unknown:';
const NO_THEME = 'none';

/**
 * The theme a result is grouped and filtered under: a theme of §4 as is, a theme this build does
 * not know (a newer backend or standard) by its trimmed id, and results without one together.
 */
export function themeKeyOf(result: CheckResult): string {
  const theme: unknown = result.theme;
  if (typeof theme !== 'string' || theme.trim() === '') return NO_THEME;
  if (KNOWN_THEMES.has(theme)) return theme;
  return `${UNKNOWN_THEME_PREFIX}${theme.trim()}`;
}

function capitalise(text: string): string {
  return text[0].toLocaleUpperCase('en-US') + text.slice(1);
}

/** The heading of a theme key: `Ownership`, `Reliability` (unknown theme), `Other`. */
export function themeTitle(key: string): string {
  if (key === NO_THEME) return 'Other';
  return capitalise(
    key.startsWith(UNKNOWN_THEME_PREFIX)
      ? key.slice(UNKNOWN_THEME_PREFIX.length)
      : key,
  );
}

/** One theme's section of the tab: its heading and the results shown under it. */
export interface ThemeGroup {
  key: string;
  /** Element id of the heading; a theme id from the backend need not be a valid one. */
  id: string;
  title: string;
  results: CheckResult[];
}

/**
 * Results grouped by theme in the order of §4, then one group per theme this build does not
 * know, by id, then "Other" for results without a theme. The tab promises every check, and the
 * score counts them all.
 */
export function groupByTheme(results: readonly CheckResult[]): ThemeGroup[] {
  const byKey = new Map<string, CheckResult[]>();
  for (const r of results) {
    const key = themeKeyOf(r);
    const group = byKey.get(key);
    if (group) group.push(r);
    else byKey.set(key, [r]);
  }
  const unknown = [...byKey.keys()]
    .filter(k => k.startsWith(UNKNOWN_THEME_PREFIX))
    .sort();
  const groups: ThemeGroup[] = [
    ...THEMES.map(t => ({ key: t, id: `theme-${t}` })),
    ...unknown.map((key, i) => ({ key, id: `theme-unknown-${i}` })),
    { key: NO_THEME, id: 'theme-other' },
  ].map(g => ({
    ...g,
    title: themeTitle(g.key),
    results: byKey.get(g.key) ?? [],
  }));
  return groups.filter(g => g.results.length > 0);
}

/** The level filter's value of a result. */
function levelOf(result: CheckResult): LevelFilterValue {
  return result.level ?? NO_LEVEL;
}

/** The results matching every set filter, in their order. */
export function filterResults(
  results: readonly CheckResult[],
  filter: ResultFilter,
): CheckResult[] {
  return results.filter(
    r =>
      (filter.state === ALL || r.state === filter.state) &&
      (filter.checkClass === ALL || r.class === filter.checkClass) &&
      (filter.level === ALL || levelOf(r) === filter.level) &&
      (filter.theme === ALL || themeKeyOf(r) === filter.theme),
  );
}

/** How many results carry each value of a filter, for the option labels ("fail (3)"). */
export function countBy<T extends string>(
  results: readonly CheckResult[],
  valueOf: (r: CheckResult) => T,
): ReadonlyMap<T, number> {
  const counts = new Map<T, number>();
  for (const r of results) {
    const v = valueOf(r);
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return counts;
}

export const resultValues = {
  state: (r: CheckResult) => r.state,
  checkClass: (r: CheckResult) => r.class,
  level: levelOf,
  theme: themeKeyOf,
};
