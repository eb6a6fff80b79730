import Ajv from 'ajv';
import addFormats from 'ajv-formats';

/**
 * Whether the form of `spec` accepts `values`, page by page, as the scaffolder's form (rjsf with
 * ajv 8) validates it: each page's JSON schema with its `required`, `allOf`/`if`/`then` and
 * patterns; `ui:*` keys and display-only fields are ignored. Answers the first page's errors.
 */
export function formErrors(
  spec: any,
  values: Record<string, unknown>,
): string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const pages = Array.isArray(spec.parameters)
    ? spec.parameters
    : [spec.parameters];
  for (const page of pages) {
    const validate = ajv.compile(withoutUiKeys(page) as object);
    if (!validate(values)) {
      return (validate.errors ?? []).map(
        e => `${e.instancePath || '/'} ${e.message}`,
      );
    }
  }
  return [];
}

function withoutUiKeys(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutUiKeys);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key]) => !key.startsWith('ui:'))
      .map(([key, value]) => [key, withoutUiKeys(value)]),
  );
}
