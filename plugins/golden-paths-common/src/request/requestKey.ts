import { REQUEST_KEY_PATTERN } from '../constants';
import type { NormalizedRequest } from './types';

const KEY = new RegExp(REQUEST_KEY_PATTERN);

/**
 * True when a request key has the §4.2 format (GP-I01).
 *
 * @public
 */
export function isValidRequestKey(key: string): boolean {
  return KEY.test(key);
}

/**
 * The fields of a request its default key is made of (a `NormalizedRequest` has them; GP-K02
 * names the key of a request the schema refused from the same fields as typed).
 *
 * @public
 */
export type RequestKeyIdentity =
  | { kind: 'database'; name: string; environment: string }
  | { kind: 'lifecycle'; entity: string; transition: string }
  | {
      kind: Exclude<NormalizedRequest['kind'], 'database' | 'lifecycle'>;
      name: string;
    };

/**
 * The default request key: the business identity of the intent, never a per-attempt id (§4.2).
 * `templateName` is the template's `metadata.name` (T1/T2/T4 keys start with it).
 *
 * @public
 */
export function defaultRequestKey(
  templateName: string,
  request: RequestKeyIdentity,
): string {
  switch (request.kind) {
    case 'database':
      return `postgres-database:${request.name}:${request.environment}`;
    case 'lifecycle':
      return `lifecycle:${request.entity}:${request.transition}`;
    default:
      return `${templateName}:${request.name}`;
  }
}
