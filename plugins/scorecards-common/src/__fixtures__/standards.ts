import { CheckType } from '../checks/checkType';
import { createDefaultCheckTypeRegistry } from '../checks/defaultRegistry';
import { ScorecardsConfig } from '../config/scorecardsConfig';
import { loadStandard } from '../standard/parseStandard';
import { defaultStandardFile } from '../standard/defaultStandard';
import { CheckDefinitionInput, StandardFile } from '../standard/standardSchema';

/** The default standard with some checks changed (rollout, capability…), as a vector row describes. */
export function standardFileWith(
  overrides: Record<string, Partial<CheckDefinitionInput>> = {},
): StandardFile {
  return {
    ...defaultStandardFile,
    checks: defaultStandardFile.checks.map(c =>
      overrides[c.id] ? { ...c, ...overrides[c.id] } : c,
    ),
  };
}

/** Compiles the default standard with overrides and config. */
export function compileWith(
  overrides: Record<string, Partial<CheckDefinitionInput>> = {},
  config: Partial<ScorecardsConfig> = {},
) {
  return loadStandard(standardFileWith(overrides), {
    fileName: 'standards/default.yaml',
    config,
  });
}

/**
 * The default standard with one more check: a required L0 check (shaped like `dashboard-linked`)
 * of `type` with `params`, compiled with the extension types given.
 */
export function standardWithExtraCheck(
  id: string,
  type: string,
  params: Record<string, unknown> = {},
  extensionTypes: readonly CheckType<any, any>[] = [],
) {
  const template = defaultStandardFile.checks.find(
    c => c.id === 'dashboard-linked',
  )!;
  return loadStandard(
    {
      ...defaultStandardFile,
      checks: [
        ...defaultStandardFile.checks,
        { ...template, id, class: 'required', level: 'L0', type, params },
      ],
    },
    { registry: createDefaultCheckTypeRegistry(extensionTypes) },
  );
}
