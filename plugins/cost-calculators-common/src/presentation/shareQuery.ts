import { z } from 'zod';
import { CALCULATORS } from '../calculators';
import type { CalculatorId } from '../types';

/** Share links must stay under this many characters (§5). */
export const MAX_LINK_LENGTH = 2000;

/** What a share link carries besides the inputs. */
export interface ShareLinkState {
  calculatorId: CalculatorId;
  inputs: Record<string, unknown>;
  priceBookVersion: string;
  asOf: string;
  entityRef?: string;
  /**
   * Inputs the user emptied although the entity (or a cost fact) filled them: left out of the
   * link, the recipient's form would fill them again from the entity and compute something else.
   */
  cleared?: readonly string[];
}

/** A decoded share link. */
export interface DecodedShareQuery {
  inputs: Record<string, unknown>;
  priceBookVersion?: string;
  asOf?: string;
  entityRef?: string;
  /** Inputs the link's author emptied on purpose (`cleared=a,b`): not filled from the entity. */
  cleared: string[];
  /** Parameters that are not inputs of this calculator (shown as a notice, then ignored). */
  unknownParams: string[];
  /**
   * Parameters given more than once with different values (`currentMonthly=100&currentMonthly=10000`).
   * Neither value is used: picking one would compute a result the link's author may not
   * have meant, so the input is left for the user (shown as a notice).
   */
  conflictingParams: string[];
}

function inputIds(calculatorId: CalculatorId): string[] {
  return Object.keys((CALCULATORS[calculatorId].schema as z.ZodObject).shape);
}

function encodeValue(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) {
    // C10 clients: name:maxInstances:poolSize:surge, comma separated. The name is free text,
    // so it is percent-encoded: a `,` or `:` in it would otherwise split the row on the way back.
    return value
      .map((c: Record<string, unknown>) =>
        [
          encodeURIComponent(String(c.name ?? '')),
          c.maxInstances,
          c.poolSize,
          c.rolloutSurgePercent ?? 0,
        ].join(':'),
      )
      .join(',');
  }
  if (typeof value === 'object' && 'toFixed' in (value as object)) {
    return (value as { toFixed(): string }).toFixed();
  }
  return String(value);
}

/** Encodes inputs as the compact query of a share link (`v=1&pb=…&asOf=…&entity=…&{input}=…`). */
export function encodeShareQuery(state: ShareLinkState): string {
  const params = new URLSearchParams();
  params.set('v', '1');
  params.set('pb', state.priceBookVersion);
  params.set('asOf', state.asOf);
  if (state.entityRef) params.set('entity', state.entityRef);
  const ids = inputIds(state.calculatorId);
  for (const id of ids) {
    const encoded = encodeValue(state.inputs[id]);
    if (encoded !== undefined) params.set(id, encoded);
  }
  const cleared = (state.cleared ?? []).filter(
    id => ids.includes(id) && !params.has(id),
  );
  if (cleared.length > 0) params.set('cleared', [...cleared].sort().join(','));
  return params.toString();
}

/** Builds the full share link and tells whether it fits the 2,000-character limit. */
export function buildShareLink(
  baseUrl: string,
  state: ShareLinkState,
): { url: string; tooLong: boolean } {
  const url = `${baseUrl.replace(/\/$/, '')}/cost-calculators/${
    state.calculatorId
  }?${encodeShareQuery(state)}`;
  return { url, tooLong: url.length >= MAX_LINK_LENGTH };
}

/**
 * A link value as the schema should see it: `true`/`false` become booleans, anything else
 * stays a string. Explicit comparisons, not a lookup object, so that `constructor` or
 * `__proto__` cannot resolve to an inherited Object property.
 */
function decodeValue(raw: string): string | boolean {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  return raw;
}

function decodeClients(raw: string): unknown {
  return raw
    .split(',')
    .filter(Boolean)
    .map(row => {
      const [name, maxInstances, poolSize, surge] = row.split(':');
      // Strings stay strings so the schema reports a bad number as a field error.
      return {
        name: decodeName(name),
        maxInstances,
        poolSize,
        rolloutSurgePercent: surge,
      };
    });
}

/** A client name as encoded above; a hand-written name that is not valid percent-encoding stays as typed. */
function decodeName(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * A value that trims to nothing (`?currentMonthly=`, `?hyperThreading=%20`) says nothing, as
 * blank cost-fact text does: the parameter is taken as not given, whatever the input's kind,
 * so the field falls back to its next source (cost fact, annotation, default) rather than
 * to an empty text the schema would report as an error on a field nobody typed.
 */
function isBlank(raw: string): boolean {
  return raw.trim() === '';
}

/**
 * Keys given more than once with different values; a key repeated with the same value is
 * harmless, and so is a blank repeat (`currentMonthly=&currentMonthly=100` gives 100).
 */
function conflictingKeys(params: URLSearchParams): Set<string> {
  const keys = new Set<string>();
  params.forEach((_value, key) => {
    const given = params.getAll(key).filter(value => !isBlank(value));
    if (new Set(given).size > 1) keys.add(key);
  });
  return keys;
}

/**
 * Decodes a share-link query; values stay strings for the calculator's schema to validate.
 * A blank parameter (input or not: `asOf=`, `entity=`) is left out as if not given.
 */
export function decodeShareQuery(
  calculatorId: CalculatorId,
  query: string,
): DecodedShareQuery {
  const params = new URLSearchParams(
    query.startsWith('?') ? query.slice(1) : query,
  );
  const ids = inputIds(calculatorId);
  const decoded: DecodedShareQuery = {
    inputs: {},
    cleared: [],
    unknownParams: [],
    conflictingParams: [],
  };
  const conflicting = conflictingKeys(params);
  params.forEach((value, key) => {
    if (key === 'v' || isBlank(value)) return;
    if (conflicting.has(key)) {
      if (!decoded.conflictingParams.includes(key))
        decoded.conflictingParams.push(key);
      return;
    }
    if (key === 'pb') decoded.priceBookVersion = value;
    else if (key === 'asOf') decoded.asOf = value;
    else if (key === 'entity') decoded.entityRef = value;
    else if (key === 'cleared')
      decoded.cleared = value.split(',').filter(id => ids.includes(id));
    else if (!ids.includes(key)) decoded.unknownParams.push(key);
    else if (key === 'clients') decoded.inputs.clients = decodeClients(value);
    else decoded.inputs[key] = decodeValue(value);
  });
  return decoded;
}

/** The notice when a link was computed with another price book (§3 rule 7), else null. */
export function priceBookMismatchNotice(
  linkVersion: string | undefined,
  currentVersion: string,
): string | null {
  if (!linkVersion || linkVersion === currentVersion) return null;
  return `Link computed with ${linkVersion}; recomputed with ${currentVersion}.`;
}
