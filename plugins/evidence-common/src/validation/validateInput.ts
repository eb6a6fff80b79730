import { z } from 'zod';
import { EvidenceError, FieldIssue, evidenceError } from '../errors/errorBody';
import { formatIssues } from './formatIssues';

/**
 * Outcome of validating one body or batch item.
 *
 * @public
 */
export type ValidationResult<T> =
  | { success: true; data: T }
  | { success: false; issues: FieldIssue[]; error: EvidenceError };

/**
 * The `INVALID_FIELD` error for a list of field issues: first issue as message and field,
 * all of them in `details.issues`.
 *
 * @public
 */
export function invalidFieldError(issues: FieldIssue[]): EvidenceError {
  return evidenceError('INVALID_FIELD', issues[0].message, {
    field: issues[0].field,
    details: { issues },
  });
}

/**
 * Validates input against a schema and renders failures as the §3.9 `INVALID_FIELD` error;
 * `prefix` names a batch item (`items[1]`).
 *
 * @public
 */
export function validateInput<T>(
  schema: z.ZodType<T>,
  input: unknown,
  prefix: string = '',
): ValidationResult<T> {
  const result = schema.safeParse(input);
  if (result.success) return { success: true, data: result.data };
  const issues = formatIssues(result.error.issues, input, prefix);
  return { success: false, issues, error: invalidFieldError(issues) };
}
