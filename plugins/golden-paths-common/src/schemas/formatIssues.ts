import type { z } from 'zod';
import { deny, RuleResult } from '../errors/catalogue';
import { gpMessages } from '../errors/messages';
import { shownFieldName } from '../policy/secretDetectors';

/**
 * Dotted path (`additionalAccess.1`) of an issue, as GP-V01/V02 name fields. An unknown field
 * whose name looks like a secret is shown masked: the schema phase is public (`parseRequest`) and
 * may run without the secret scan in front of it.
 */
export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map(segment => shownFieldName(String(segment))).join('.');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** The received value as JSON, shortened: a 40 kB description is not echoed back whole. */
function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function bound(word: string, origin: string, limit: unknown): string {
  if (origin === 'string') return `must be ${word} ${String(limit)} characters`;
  if (origin === 'array') return `must have ${word} ${String(limit)} items`;
  return `must be ${word} ${String(limit)}`;
}

function problemOf(issue: z.core.$ZodIssue, value: unknown): string {
  switch (issue.code) {
    case 'invalid_value':
      return `must be one of ${issue.values.map(v => String(v)).join(', ')}`;
    case 'invalid_type':
      return value === undefined
        ? 'is required'
        : `must be a ${issue.expected}`;
    case 'too_small':
      return bound('at least', issue.origin, issue.minimum);
    case 'too_big':
      return bound('at most', issue.origin, issue.maximum);
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue
        ? `must match ${String(issue.pattern)}`
        : `must be a valid ${issue.format}`;
    case 'not_multiple_of':
      return `must be a multiple of ${issue.divisor}`;
    default:
      return issue.message;
  }
}

/**
 * Turns zod issues into GP-V01 (shape) and GP-V02 (unknown field) results, one per problem, so
 * the requester sees every problem at once. Runs after the secret scan, so echoing a value here
 * cannot leak a secret.
 *
 * @public
 */
export function issuesToRuleResults(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  kind: string,
): RuleResult[] {
  const out: RuleResult[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const field = dottedPath([...issue.path, key]);
        out.push(deny('GP-V02', gpMessages.v02({ field, kind }), field));
      }
      continue;
    }
    const field = dottedPath(issue.path);
    const value = valueAt(input, issue.path);
    out.push(
      deny(
        'GP-V01',
        gpMessages.v01({
          field,
          problem: problemOf(issue, value),
          value: shown(value),
        }),
        field,
      ),
    );
  }
  return out;
}
