import { Config } from '@backstage/config';
import type { OnCallAnswer, OnCallProvider } from './OnCallProvider';

const DAY = 24 * 3600_000;
const ROTATIONS: Record<string, number | undefined> = {
  daily: DAY,
  weekly: 7 * DAY,
};
/** A Monday 09:00Z: the default hand-off instant when a schedule names none. */
const DEFAULT_HANDOFF = '1970-01-05T09:00:00Z';

const ISO_INSTANT =
  /^(\d{4})-(\d\d)-(\d\d)T\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)$/i;

/**
 * Epoch ms of an ISO-8601 date-time with a zone (`Z` or an offset) on a day that exists, else
 * undefined. `Date.parse` alone reads a zone-less time in the server's own zone, so the
 * rotation would turn at a different instant on each server, and rolls 30 February over to
 * March. (suite-node's `isIsoInstant` does the same; this package does not depend on it.)
 */
function isoInstantMs(text: string): number | undefined {
  const m = ISO_INSTANT.exec(text);
  const ms = m ? Date.parse(text) : Number.NaN;
  if (!m || Number.isNaN(ms)) return undefined;
  const [year, month, day] = m.slice(1, 4).map(Number);
  // setUTCFullYear, not Date.UTC: that reads years 0–99 as 1900–1999
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? ms
    : undefined;
}

/** One rotation from app-config. */
export interface StaticSchedule {
  members: string[];
  rotationMs: number;
  /** an instant at which `members[0]` takes over */
  handoffMs: number;
}

const SCHEDULES_KEY = 'incidentBrief.onCall.static.schedules';

/** A plain config key segment; any other schedule name is quoted in messages. */
const PLAIN_KEY = /^[a-z][a-z0-9]*(?:[-_:][a-z0-9]+)*$/i;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One schedule from config; `name` is its full key, for messages. */
function readSchedule(value: unknown, name: string): StaticSchedule {
  if (!isMap(value)) {
    throw new Error(
      `${name} must be an object with members, rotation and handoff (got ${typeName(
        value,
      )})`,
    );
  }
  const { members, rotation = 'weekly', handoff = DEFAULT_HANDOFF } = value;
  if (
    !Array.isArray(members) ||
    !members.every(m => typeof m === 'string' && m !== '')
  ) {
    throw new Error(
      `${name}.members must be a list of user refs (got ${
        JSON.stringify(members) ?? 'undefined'
      })`,
    );
  }
  const rotationMs =
    typeof rotation === 'string' && Object.hasOwn(ROTATIONS, rotation)
      ? ROTATIONS[rotation]
      : undefined;
  if (!rotationMs) {
    throw new Error(
      `${name}.rotation must be daily or weekly (got ${String(rotation)})`,
    );
  }
  const handoffMs =
    typeof handoff === 'string' ? isoInstantMs(handoff) : undefined;
  if (handoffMs === undefined) {
    throw new Error(
      `${name}.handoff must be an ISO-8601 instant with a zone, e.g. 2026-03-16T09:00:00Z or 2026-03-16T10:00:00+01:00 (got ${String(
        handoff,
      )})`,
    );
  }
  return { members, rotationMs, handoffMs };
}

/**
 * Rotations from app-config (`incidentBrief.onCall.static.schedules`), for the demo and small
 * organizations: members take turns per rotation starting at the hand-off instant; the next
 * member in line is the secondary.
 */
export class StaticOnCallProvider implements OnCallProvider {
  /**
   * The schedules map is read as one plain value: a schedule name is a key, and `getConfig`
   * would take a dot in it (`checkout.primary`) for a path separator.
   */
  static fromConfig(config: Config): StaticOnCallProvider {
    const root = config.getOptional(SCHEDULES_KEY);
    if (root !== undefined && root !== null && !isMap(root)) {
      throw new Error(
        `${SCHEDULES_KEY} must be a map of schedule name to { members, rotation, handoff } (got ${typeName(
          root,
        )})`,
      );
    }
    const schedules: Record<string, StaticSchedule> = {};
    for (const [name, value] of Object.entries(root ?? {})) {
      schedules[name] = readSchedule(
        value,
        PLAIN_KEY.test(name)
          ? `${SCHEDULES_KEY}.${name}`
          : `${SCHEDULES_KEY}[${JSON.stringify(name)}]`,
      );
    }
    return new StaticOnCallProvider(schedules);
  }

  constructor(private readonly schedules: Record<string, StaticSchedule>) {}

  async scheduleExists(sourceRef: string): Promise<boolean> {
    return Object.prototype.hasOwnProperty.call(
      this.schedules,
      sourceRef.replace(/^static:/, ''),
    );
  }

  async currentOnCall(sourceRef: string, at: Date): Promise<OnCallAnswer> {
    const name = sourceRef.replace(/^static:/, '');
    const schedule = Object.prototype.hasOwnProperty.call(this.schedules, name)
      ? this.schedules[name]
      : undefined;
    if (!schedule || schedule.members.length === 0) return { status: 'none' };
    const { members, rotationMs, handoffMs } = schedule;
    const turn = Math.floor((at.getTime() - handoffMs) / rotationMs);
    const n = members.length;
    const index = ((turn % n) + n) % n;
    return {
      status: 'ok',
      primary: members[index],
      ...(n > 1 ? { secondary: members[(index + 1) % n] } : {}),
      until: new Date(handoffMs + (turn + 1) * rotationMs).toISOString(),
    };
  }
}
