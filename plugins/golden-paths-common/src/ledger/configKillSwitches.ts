import { isIsoInstant } from '@internal/plugin-incident-brief-common';
import type { KillSwitches, KillSwitchState } from '../config';

/*
 * The config kill switches (golden-paths.md §4.7, §9), read the same way by golden-paths-backend
 * and the scaffolder module. The maps are keyed by template names and action ids, which are not
 * config keys: `node.v2` holds a dot (a path step to `Config#getConfig`), `2fa-service` starts
 * with a digit and `svc--v2` repeats a separator (both "Invalid config key"). So each source is
 * taken as one plain value (`Config#getOptional`) and walked here, never key by key.
 */

/**
 * What the reader needs of a config: `Config#getOptional` (the root config service has it), so
 * this browser-safe package does not import `@backstage/config`.
 *
 * @public
 */
export interface RawConfigValues {
  getOptional(key: string): unknown;
}

/**
 * The two sources, in precedence order: `goldenPaths.killSwitch` as the note names it, and
 * `goldenPaths.killSwitches`, accepted as an alias.
 *
 * @public
 */
export const CONFIG_KILL_SWITCH_KEYS = [
  'goldenPaths.killSwitch',
  'goldenPaths.killSwitches',
] as const;

const SOURCE_KEYS = ['all', 'templates', 'actions'];
const SWITCH_KEYS = ['disabled', 'reason', 'since'];

/** How a refused value is named: short values as JSON, others by type. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value !== null && typeof value === 'object') return 'an object';
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Refuses keys a reader would ignore: a typo (`disable: true`) must not leave a path running. */
function onlyKnownKeys(
  path: string,
  value: Record<string, unknown>,
  known: readonly string[],
) {
  const unknown = Object.keys(value).filter(k => !known.includes(k));
  if (unknown.length) {
    throw new Error(
      `${path} has unknown key${unknown.length > 1 ? 's' : ''} ${unknown
        .map(k => JSON.stringify(k))
        .join(', ')}; it takes only ${known.join(', ')}`,
    );
  }
}

/**
 * `disabled`: a boolean, or the string `"true"`/`"false"` an environment substitution gives
 * (`disabled: ${GP_SWITCH_OFF}`). Anything else (`"yes"`, `1`) is refused rather than guessed:
 * the two readers guessed differently before.
 */
function readDisabled(path: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true') return true;
    if (text === 'false') return false;
  }
  throw new Error(`${path} must be true or false, got ${shown(value)}`);
}

/** `since`: an ISO-8601 instant with a zone; YAML may hand over a Date for an unquoted one. */
function readSince(path: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return value.toISOString();
  }
  if (typeof value === 'string' && isIsoInstant(value.trim())) {
    return new Date(value.trim()).toISOString();
  }
  throw new Error(
    `${path} must be an ISO-8601 instant with a zone, e.g. 2026-11-23T09:30:00Z, got ${shown(
      value,
    )}`,
  );
}

function readSwitch(path: string, value: unknown): KillSwitchState {
  if (!isPlainObject(value)) {
    throw new Error(
      `${path} must be an object such as { disabled: true, reason: "…", since: "2026-11-23T09:30:00Z" }, got ${shown(
        value,
      )}`,
    );
  }
  onlyKnownKeys(path, value, SWITCH_KEYS);
  const { reason } = value;
  if (reason !== undefined && (typeof reason !== 'string' || !reason.trim())) {
    throw new Error(
      `${path}.reason must be a non-empty text, got ${shown(reason)}`,
    );
  }
  const since = readSince(`${path}.since`, value.since);
  return {
    disabled: readDisabled(`${path}.disabled`, value.disabled),
    ...(reason !== undefined ? { reason: reason as string } : {}),
    ...(since ? { since } : {}),
  };
}

/**
 * Refuses a template switch keyed by a name with capital letters. The matcher looks a switch up
 * by the template name validate reads from the template ref, which `normalizeEntityRef` has
 * lower-cased, so `Service-Node-HTTP` would be listed as a switch by GET /kill-switches and stop
 * nothing. It is refused with the spelling that matches, as the runtime ids are (killSwitchIds in
 * golden-paths-backend), rather than lower-cased here: a config read differently from how it is
 * written is harder to reason about during an incident than a backend that will not start.
 */
function lowerCaseTemplateNames(path: string, value: Record<string, unknown>) {
  for (const name of Object.keys(value)) {
    const lower = name.toLocaleLowerCase('en-US');
    if (name !== lower) {
      throw new Error(
        `${path}[${JSON.stringify(
          name,
        )}] never matches: template names are matched in lower case, as the catalog normalizes them; did you mean ${JSON.stringify(
          lower,
        )}?`,
      );
    }
  }
}

/** A map by template name or action id; entries are named `path["node.v2"]` in refusals. */
function readSwitchMap(
  path: string,
  value: unknown,
  keyedBy: 'template names' | 'action ids',
): Record<string, KillSwitchState> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new Error(
      `${path} must map ${keyedBy} to switches, got ${shown(value)}`,
    );
  }
  if (keyedBy === 'template names') lowerCaseTemplateNames(path, value);
  return Object.fromEntries(
    Object.entries(value).map(([id, v]) => [
      id,
      readSwitch(`${path}[${JSON.stringify(id)}]`, v),
    ]),
  );
}

/**
 * Merges two states of one switch: off when either is off (config OR runtime, `killSwitch` OR
 * `killSwitches`); when both are off, or both on, the first one is kept (its reason and `since`).
 *
 * @public
 */
export function mergeSwitchStates(
  a?: KillSwitchState,
  b?: KillSwitchState,
): KillSwitchState | undefined {
  if (a?.disabled) return a;
  if (b?.disabled) return b;
  return a ?? b;
}

/**
 * Merges switch maps key by key with {@link mergeSwitchStates}: a switch off in any map is off.
 *
 * @public
 */
export function mergeSwitchMaps(
  ...maps: Record<string, KillSwitchState>[]
): Record<string, KillSwitchState> {
  const out: Record<string, KillSwitchState> = {};
  for (const map of maps) {
    for (const [id, state] of Object.entries(map)) {
      out[id] = mergeSwitchStates(out[id], state)!;
    }
  }
  return out;
}

/**
 * The config kill switches (§4.7): `goldenPaths.killSwitch` and its alias
 * `goldenPaths.killSwitches`, merged so that a switch off in either is off. Throws an error naming
 * the config path of a malformed entry (a switch that is not an object, `disabled` not true or
 * false, `since` not an ISO instant, an unknown key, a template name with capital letters); both backends read this once at start, so
 * such a config stops the backend instead of failing every request that reads the switches.
 * Cheap and pure: callers read it on every request or run, so a reloaded config applies at once.
 *
 * @public
 */
export function readConfigKillSwitches(config: RawConfigValues): KillSwitches {
  let all: KillSwitchState | undefined;
  let templates: Record<string, KillSwitchState> = {};
  let actions: Record<string, KillSwitchState> = {};
  for (const key of CONFIG_KILL_SWITCH_KEYS) {
    const source = config.getOptional(key);
    if (source === undefined) continue;
    if (!isPlainObject(source)) {
      throw new Error(
        `${key} must be an object with all, templates and/or actions, got ${shown(
          source,
        )}`,
      );
    }
    onlyKnownKeys(key, source, SOURCE_KEYS);
    if (source.all !== undefined) {
      all = mergeSwitchStates(all, readSwitch(`${key}.all`, source.all));
    }
    templates = mergeSwitchMaps(
      templates,
      readSwitchMap(`${key}.templates`, source.templates, 'template names'),
    );
    actions = mergeSwitchMaps(
      actions,
      readSwitchMap(`${key}.actions`, source.actions, 'action ids'),
    );
  }
  return { ...(all ? { all } : {}), templates, actions };
}
