import {
  Config,
  ConfigReader,
  readDurationFromConfig,
} from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import { normalizeEntityRef } from '@internal/plugin-evidence-common';

// Config maps keyed by ids (kind ids such as `deploy.freeze-window`, telemetry names such as
// `api.stripe.com`, source ids, header names) are read as one plain value and checked here.
// `Config.getConfig(id)` / `getString(id)` would take a dot in the id for a path separator
// (`Missing required config value at 'evidence.kinds.deploy.freeze-window'`), and refuse ids
// such as `checkout/api` outright, so the backend would not start.

/** A plain config key segment (the config reader's own rule); other ids are quoted. */
const PLAIN_KEY = /^[a-z][a-z0-9]*(?:[-_:][a-z0-9]+)*$/i;

/**
 * How an entry is named in messages: `evidence.sources.argocd`, or with the id quoted when it is
 * not a plain key, `evidence.kinds["deploy.freeze-window"]`.
 */
export function entryName(mapKey: string, id: string): string {
  return PLAIN_KEY.test(id)
    ? `${mapKey}.${id}`
    : `${mapKey}[${JSON.stringify(id)}]`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The entries of the map at `key` (a full config key), merged over every config file; absent
 * or null reads as empty. Anything but a map is refused: "`key` must be `expected`".
 */
export function readConfigMap(
  config: Config,
  key: string,
  expected: string,
): Array<[string, unknown]> {
  const value = config.getOptional(key);
  if (value === undefined || value === null) return [];
  if (!isMap(value)) {
    throw new Error(`${key} must be ${expected} (got ${typeName(value)})`);
  }
  return Object.entries(value);
}

/** An entry whose value must be an object (null reads as empty, as an unset map does). */
export function entryObject(
  value: unknown,
  name: string,
  expected: string,
): Record<string, unknown> {
  if (value === null || value === undefined) return {};
  if (!isMap(value)) {
    throw new Error(`${name} must be ${expected} (got ${typeName(value)})`);
  }
  return value;
}

/** Non-empty text, e.g. an alias's entity ref; `what` says what it names. */
export function entryString(
  value: unknown,
  name: string,
  what: string,
): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new Error(`${name} must be ${what} (text, got ${typeName(value)})`);
  }
  return value;
}

/**
 * A boolean as the config reader reads one: `true`/`false`, or the text an environment
 * substitution gives (`yes`/`no`, `on`/`off`, `1`/`0`). Undefined when unset.
 */
export function optionalBoolean(
  value: unknown,
  name: string,
): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  const text = String(value).trim();
  if (/^(?:y|yes|true|1|on)$/i.test(text)) return true;
  if (/^(?:n|no|false|0|off)$/i.test(text)) return false;
  throw new Error(`${name} must be a boolean (got ${shown(value)})`);
}

/** Seconds of a duration value (`1h`, `PT1H`, `{ hours: 1 }`), refused naming `name`. */
export function durationSeconds(value: unknown, name: string): number {
  try {
    const duration = readDurationFromConfig(
      new ConfigReader({ value } as Record<string, any>),
      { key: 'value' },
    );
    return durationToMilliseconds(duration) / 1000;
  } catch {
    throw new Error(
      `${name} must be a duration such as 1h, PT1H or { hours: 1 } (got ${shown(
        value,
      )})`,
    );
  }
}

/**
 * A full entity ref (`kind:namespace/name`), lower-cased. Short refs are refused, as the write
 * API refuses them (§2.1: never guessed): `component:checkout-service` would otherwise reach the
 * alias map as written, win over the entity's own claim and attach evidence to no entity.
 */
export function entryEntityRef(value: unknown, name: string): string {
  const text = entryString(value, name, 'an entity ref');
  const ref = normalizeEntityRef(text);
  if (ref === undefined) {
    throw new Error(
      `${name} must be a full entity ref like component:default/<name> (got "${text}")`,
    );
  }
  return ref;
}
