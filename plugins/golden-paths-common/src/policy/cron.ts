// A 5-field cron reader (minute hour day-of-month month day-of-week, UTC) for GP-W01/W02. It
// only needs to answer "is it valid" and "what is the smallest gap between two runs", so it
// expands fields into sets rather than computing next-run times.

const FIELDS = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  {
    min: 1,
    max: 12,
    names: [
      'JAN',
      'FEB',
      'MAR',
      'APR',
      'MAY',
      'JUN',
      'JUL',
      'AUG',
      'SEP',
      'OCT',
      'NOV',
      'DEC',
    ],
  },
  // 0–6 only: the worker runs as a Kubernetes CronJob, whose parser (robfig/cron v3) refuses 7
  // for Sunday, so a 7 accepted here would fail the deploy after the repository and entity exist.
  { min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
] as const;

/** The weekday field as classic cron reads it (7 = Sunday), only to explain a refusal. */
const CLASSIC_WEEKDAY = { ...FIELDS[4], max: 7 } as const;

/** Days in each month (1-based), February in a leap year: the most a schedule can ever hit. */
const MONTH_DAYS = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** A parsed cron expression: the allowed values of each field, and which day fields were `*`. */
export interface CronSchedule {
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  domAny: boolean;
  dowAny: boolean;
}

type Field = (typeof FIELDS)[number] | typeof CLASSIC_WEEKDAY;

function value(text: string, field: Field): number | undefined {
  const names =
    'names' in field ? (field.names as readonly string[]) : undefined;
  const idx = names?.indexOf(text.toUpperCase()) ?? -1;
  if (idx >= 0) return idx + field.min;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= field.min && n <= field.max ? n : undefined;
}

function expand(text: string, field: Field): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return undefined;
    let lo: number | undefined;
    let hi: number | undefined;
    if (m[1] === '*') {
      lo = field.min;
      hi = field.max;
    } else if (m[1].includes('-')) {
      const [a, b] = m[1].split('-');
      lo = value(a, field);
      hi = value(b, field);
    } else {
      lo = value(m[1], field);
      // `5/15` means "from 5, every 15" (the common extension).
      hi = m[2] === undefined ? lo : field.max;
    }
    if (lo === undefined || hi === undefined || lo > hi) return undefined;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/**
 * Parses a 5-field cron expression, or returns undefined when it is not one (GP-W01).
 *
 * @public
 */
export function parseCron(expression: string): CronSchedule | undefined {
  // Fields are separated by spaces only: a line break would pass here and then break the
  // single-quoted `cron:` line of the generated workflow (a YAML that no longer parses).
  const parts = expression.trim().split(/ +/);
  if (parts.length !== 5) return undefined;
  const sets = parts.map((p, i) => expand(p, FIELDS[i]));
  if (sets.some(s => s === undefined || s.size === 0)) return undefined;
  const [mi, h, dom, mon, dow] = sets as Set<number>[];
  return {
    minutes: [...mi].sort((a, b) => a - b),
    hours: [...h].sort((a, b) => a - b),
    daysOfMonth: dom,
    months: mon,
    daysOfWeek: dow,
    // `*/1` is `*` to cron (Vixie and the Kubernetes CronJob's parser): any day, and the day and
    // weekday fields then combine as "and", not "or"
    domAny: isAny(parts[2]),
    dowAny: isAny(parts[4]),
  };
}

/** A day or weekday field that restricts nothing, as cron reads it. */
function isAny(field: string): boolean {
  return field === '*' || field === '*/1';
}

function runsOnDay(s: CronSchedule, dayMs: number): boolean {
  const d = new Date(dayMs);
  if (!s.months.has(d.getUTCMonth() + 1)) return false;
  const domOk = s.daysOfMonth.has(d.getUTCDate());
  const dowOk = s.daysOfWeek.has(d.getUTCDay());
  // Classic cron: when both day fields are restricted, either one matching is enough.
  if (!s.domAny && !s.dowAny) return domOk || dowOk;
  return domOk && dowOk;
}

const DAY_MIN = 1440;

/**
 * Smallest gap in minutes between two consecutive runs. Within a day the gaps come from the
 * minute × hour grid; across midnight the last run of one day meets the first of the next only
 * when two consecutive calendar days both run, which a fixed 4-year scan decides (no clock read).
 *
 * @public
 */
export function smallestGapMinutes(s: CronSchedule): number {
  const times: number[] = [];
  for (const h of s.hours) for (const m of s.minutes) times.push(h * 60 + m);
  times.sort((a, b) => a - b);
  let gap = Infinity;
  for (let i = 1; i < times.length; i++)
    gap = Math.min(gap, times[i] - times[i - 1]);
  const wrap = times[0] + DAY_MIN - times[times.length - 1];
  if (wrap < gap) {
    const start = Date.UTC(2024, 0, 1);
    for (let d = 0; d < 4 * 366; d++) {
      const day = start + d * 86_400_000;
      if (runsOnDay(s, day) && runsOnDay(s, day + 86_400_000)) {
        gap = wrap;
        break;
      }
    }
  }
  return gap;
}

/**
 * Whether an expression parseCron refuses only because its weekday field names 7 (classic cron's
 * second Sunday), so the refusal can say to use 0 instead.
 */
export function usesWeekdaySeven(expression: string): boolean {
  const parts = expression.trim().split(/ +/);
  if (parts.length !== 5 || expand(parts[4], FIELDS[4])) return false;
  return expand(parts[4], CLASSIC_WEEKDAY)?.has(7) ?? false;
}

/**
 * The months and days of a schedule that can never fire, because none of the months it names has
 * any of the days of month it names (`0 0 30 2 *`); undefined when it fires at least once in four
 * years. A restricted weekday field also fires the schedule (classic cron), so only a schedule
 * with weekday `*` can be stuck.
 */
export function impossibleDates(
  s: CronSchedule,
): { months: number[]; days: number[] } | undefined {
  if (s.domAny || !s.dowAny) return undefined;
  const months = [...s.months].sort((a, b) => a - b);
  const days = [...s.daysOfMonth].sort((a, b) => a - b);
  return months.some(m => days.some(d => d <= MONTH_DAYS[m]))
    ? undefined
    : { months, days };
}
