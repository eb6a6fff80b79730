import { z } from 'zod';
import { normalizeTimestamp, isUtcTimestamp } from '../time/timestamps';
import { formatFieldPath, joinFieldPath, valueAtPath } from './fieldPath';
import { FieldIssue } from '../errors/errorBody';
import { shownValue as got } from './shownValue';

type Issue = z.core.$ZodIssue;

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

function typeName(expected: string): string {
  if (expected === 'record') return 'object';
  if (expected === 'int') return 'integer';
  return expected;
}

function renderEnumValue(value: unknown): string {
  return typeof value === 'string' && value !== ''
    ? value
    : JSON.stringify(value);
}

function sizeMessage(
  field: string,
  issue: { origin: string },
  bound: string,
  limit: number | bigint,
  value: unknown,
): string {
  if (issue.origin === 'string' && typeof value === 'string') {
    if (bound === 'at least' && Number(limit) === 1)
      return `${field} must not be empty`;
    return `${field} must be ${bound} ${limit} characters (got ${value.length})`;
  }
  if (issue.origin === 'array' && Array.isArray(value)) {
    return `${field} must contain ${bound} ${limit} entries (got ${value.length})`;
  }
  return `${field} must be ${bound} ${limit} (got ${got(value)})`;
}

function formatCustom(
  issue: Extract<Issue, { code: 'custom' }>,
  field: string,
  prefix: string,
  parentPath: readonly PropertyKey[],
  input: unknown,
  value: unknown,
): FieldIssue {
  const params = (issue.params ?? {}) as Record<string, unknown>;
  switch (params.template) {
    case 'timestamp':
      return {
        field,
        message: `${field} must be an ISO-8601 UTC timestamp (got ${got(
          value,
        )})`,
      };
    case 'fullRef':
      return {
        field,
        message: `${field} ${got(
          value,
        )} is not a full ref (kind:namespace/name)`,
      };
    case 'between':
      return {
        field,
        message: `${field} must be between ${params.min} and ${
          params.max
        } (got ${got(value)})`,
      };
    case 'entries':
      return {
        field,
        message: `${field} must contain ${params.min}–${
          params.max
        } entries (got ${(value as unknown[]).length})`,
      };
    case 'integerBetween':
      return {
        field,
        message: `${field} must be an integer between ${params.min} and ${
          params.max
        } (got ${got(value)})`,
      };
    case 'exactlyOne': {
      const fields = (params.fields as string[]).map(f =>
        joinFieldPath(joinFieldPath(prefix, formatFieldPath(parentPath)), f),
      );
      return {
        field: fields[0],
        message: `exactly one of ${fields.join(', ')} is required`,
      };
    }
    case 'notBefore': {
      const otherPath = [...parentPath.slice(0, -1), params.other as string];
      const other = valueAtPath(input, otherPath);
      const otherField = joinFieldPath(prefix, formatFieldPath(otherPath));
      const show = (v: unknown) =>
        isUtcTimestamp(v) ? normalizeTimestamp(v) : got(v);
      return {
        field,
        message: `${field} must not be before ${otherField} (got ${show(
          value,
        )} < ${show(other)})`,
      };
    }
    case 'valueSize':
      return {
        field,
        message: `${field} must be at most ${params.max} bytes of canonical JSON (got ${params.bytes})`,
      };
    case 'json':
      return {
        field,
        message: `${field} must be a JSON value (${params.reason})`,
      };
    case 'httpUrl':
      return {
        field,
        message: `${field} must be an absolute http(s) URL (got ${got(value)})`,
      };
    case 'provenanceUrl':
      return {
        field,
        message: `${field} must be an absolute http(s) or file URL (got ${got(
          value,
        )})`,
      };
    case 'nul':
      return {
        field,
        message: `${field} must not contain NUL characters (U+0000)`,
      };
    case 'storedJson':
      return {
        field,
        message: `${field} must be at most ${params.max} characters as stored (canonical JSON, where a control character takes six; got ${params.length})`,
      };
    case 'lowerCased':
      return {
        field,
        message: `${field} must be at most ${params.max} characters once lower-cased, as it is stored (got ${params.length})`,
      };
    case 'wellFormed':
      return {
        field,
        message: `${field} must be well-formed text (it holds a lone UTF-16 surrogate)`,
      };
    case 'required':
      return { field, message: `${field} is required` };
    case 'onlyWhen':
      return {
        field,
        message: `${field} is only allowed when ${params.condition}`,
      };
    default:
      return { field, message: `${field} is invalid (${issue.message})` };
  }
}

function formatOne(
  issue: Issue,
  input: unknown,
  prefix: string,
  basePath: readonly PropertyKey[],
): FieldIssue[] {
  const path = [...basePath, ...issue.path];
  const field = joinFieldPath(prefix, formatFieldPath(path)) || 'body';
  const value = valueAtPath(input, path);

  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map(key => {
      const keyField = joinFieldPath(field === 'body' ? prefix : field, key);
      return { field: keyField, message: `${keyField} is not a known field` };
    });
  }
  if (issue.code === 'custom') {
    // `exactlyOne` is about the object itself, whose path is where the issue sits.
    if (
      (issue.params as Record<string, unknown> | undefined)?.template ===
      'exactlyOne'
    ) {
      return [formatCustom(issue, field, prefix, path, input, value)];
    }
    if (value === undefined)
      return [{ field, message: `${field} is required` }];
    return [formatCustom(issue, field, prefix, path, input, value)];
  }
  // A missing member fails its type check; "is required" says what to do about it.
  if (value === undefined && path.length > 0) {
    return [{ field, message: `${field} is required` }];
  }
  switch (issue.code) {
    case 'invalid_type':
      return [
        {
          field,
          message: `${field} must be ${article(
            typeName(issue.expected),
          )} (got ${got(value)})`,
        },
      ];
    case 'invalid_value':
      return [
        {
          field,
          message: `${field} must be one of ${issue.values
            .map(renderEnumValue)
            .join(', ')} (got ${got(value)})`,
        },
      ];
    case 'too_big':
      return [sizeMessage(field, issue, 'at most', issue.maximum, value)].map(
        message => ({ field, message }),
      );
    case 'too_small': {
      const bound = issue.inclusive === false ? 'greater than' : 'at least';
      return [
        {
          field,
          message: sizeMessage(field, issue, bound, issue.minimum, value),
        },
      ];
    }
    case 'invalid_format':
      return [
        {
          field,
          message:
            issue.format === 'regex' && 'pattern' in issue
              ? `${field} must match ${issue.pattern} (got ${got(value)})`
              : `${field} must be a valid ${issue.format} (got ${got(value)})`,
        },
      ];
    case 'invalid_union': {
      // Report the branch the value was evidently meant for: the first whose failure is not a
      // plain type mismatch at the union's own path.
      const branch = issue.errors.find(
        branchIssues =>
          branchIssues.length > 0 &&
          !(
            branchIssues[0].code === 'invalid_type' &&
            branchIssues[0].path.length === 0
          ),
      );
      if (branch) return branch.flatMap(b => formatOne(b, input, prefix, path));
      // Every branch refused the type itself: name the types it may have (`rollbackOf must be
      // a string or an object (got 42)`), not only that this one was unexpected.
      const expected = [
        ...new Set(
          issue.errors
            .map(b => (b[0] as { expected?: unknown } | undefined)?.expected)
            .filter((e): e is string => typeof e === 'string'),
        ),
      ];
      return [
        {
          field,
          message:
            expected.length > 0
              ? `${field} must be ${expected
                  .map(e => `${/^[aeiou]/.test(e) ? 'an' : 'a'} ${e}`)
                  .join(' or ')} (got ${got(value)})`
              : `${field} has an unexpected type (got ${got(value)})`,
        },
      ];
    }
    default:
      return [{ field, message: `${field} is invalid (${issue.message})` }];
  }
}

/**
 * Renders zod issues as §3.9 `INVALID_FIELD` issues with dotted paths, prefixed for batch items
 * (`items[1]`), in schema order.
 *
 * @public
 */
export function formatIssues(
  issues: readonly Issue[],
  input: unknown,
  prefix: string = '',
): FieldIssue[] {
  return issues.flatMap(issue => formatOne(issue, input, prefix, []));
}
