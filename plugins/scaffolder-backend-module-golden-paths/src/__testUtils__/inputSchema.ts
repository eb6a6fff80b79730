import type { TemplateAction } from '@backstage/plugin-scaffolder-node';
import { validate, type Schema } from 'jsonschema';

/**
 * The schema errors the scaffolder's workflow runner reports for `input` before it calls the
 * handler, dry run or not: it validates each step's input against the action's JSON schema with
 * `jsonschema`, as here. Empty when the step would run.
 */
export function inputSchemaErrors(
  action: TemplateAction<any, any, any>,
  input: unknown,
): string[] {
  return validate(input, action.schema?.input as Schema).errors.map(
    e => `${e.property} ${e.message}`,
  );
}
