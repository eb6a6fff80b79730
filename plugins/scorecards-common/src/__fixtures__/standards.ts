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
