import type { Window } from './operations.ts';

// Your part of the worker: where units of work come from, how one is checked, how it is done.
// The rest of the skeleton (operation keys, claims, dry run, exit codes, events) stays as it is.

export interface Unit {
  /** Business identity of the unit: the hour, order id or message id it is about. */
  id: string;
  payload: Record<string, unknown>;
}

/** Throw this when a dependency (source, queue, downstream API) fails: the run exits with 4. */
export class DependencyError extends Error {
  readonly dependency: string;

  constructor(dependency: string, message: string) {
    super(message);
    this.name = 'DependencyError';
    this.dependency = dependency;
  }
}

export interface Work {
  /** Reads the units of a window (a scheduled run) or a batch of messages (a queue consumer). */
  loadUnits(window: Window): Promise<Unit[]>;
  /** A problem with the unit, or undefined. Runs for every unit before anything is changed. */
  validateUnit(unit: Unit): string | undefined;
  /** Does the work of one unit and returns a small JSON result that a rerun gets back. */
  applyUnit(unit: Unit): Promise<Record<string, unknown>>;
}

/** The example work: one unit per hour of the window. Replace it with the real job. */
export const work: Work = {
  async loadUnits(window) {
    const units: Unit[] = [];
    for (
      let t = Date.parse(window.from);
      t < Date.parse(window.to);
      t += 3_600_000
    ) {
      const hour = new Date(t).toISOString().slice(0, 13);
      units.push({ id: `hour-${hour}`, payload: { hour } });
    }
    return units;
  },
  validateUnit(unit) {
    return unit.id ? undefined : 'a unit needs an id';
  },
  async applyUnit(unit) {
    return { processed: unit.id };
  },
};
