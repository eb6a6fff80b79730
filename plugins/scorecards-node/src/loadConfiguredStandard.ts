import type { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  CheckTypeRegistry,
  CompiledStandard,
  defaultStandardFile,
  loadStandard,
} from '@internal/plugin-scorecards-common';
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readScorecardsConfig } from './readScorecardsConfig';
import {
  findUncollectedRepoFiles,
  uncollectedRepoFilesWarning,
} from './uncollectedRepoFiles';

/**
 * Loads the one standard this installation scores against, once at startup (§2.2):
 * `scorecards.standard` (inline), else `scorecards.standardFile` / `scorecards.standardFiles`
 * (one YAML file, relative to the working directory), else the built-in `default@7`.
 * Throws a `StandardValidationError` naming file, check and field, or an Error naming the key.
 * Given the evidence store's `repoPaths`, it also warns once per check that looks for a
 * repository path none of them collects (evidence §4.2).
 */
export function loadConfiguredStandard(
  root: Config,
  options: {
    registry?: CheckTypeRegistry;
    cwd?: string;
    /** Told each load warning (a level nothing counts toward), once per start. */
    logger?: Pick<LoggerService, 'warn'>;
    /**
     * The repository globs the evidence store collects (`evidence.collectedRepoPaths()`);
     * unset: not known, nothing checked. Empty (the repository collector is off) checks
     * nothing either: `repo.files` listings then come from pushes (or the demo seeder), which
     * no glob limits, and a warning per `repo-file` check would send the operator to
     * `evidence.repo.extraPaths`, which changes nothing.
     */
    repoPaths?: readonly string[];
  } = {},
): CompiledStandard {
  const standard = loadStandardOf(root, options);
  for (const warning of standard.warnings) {
    options.logger?.warn(`scorecards: ${warning}`);
  }
  if (options.repoPaths && options.repoPaths.length > 0) {
    for (const uncollected of findUncollectedRepoFiles(
      standard,
      options.repoPaths,
    )) {
      options.logger?.warn(
        `scorecards: ${uncollectedRepoFilesWarning(uncollected)}`,
      );
    }
  }
  return standard;
}

function loadStandardOf(
  root: Config,
  options: { registry?: CheckTypeRegistry; cwd?: string },
): CompiledStandard {
  const config = readScorecardsConfig(root);
  const inline = root.getOptional('scorecards.standard');
  const files = [
    ...(root.getOptionalString('scorecards.standardFile')
      ? [root.getString('scorecards.standardFile')]
      : []),
    ...(root.getOptionalStringArray('scorecards.standardFiles') ?? []),
  ];
  if (inline !== undefined && files.length > 0) {
    throw new Error(
      'scorecards.standard and scorecards.standardFile(s) are both set; set only one',
    );
  }
  if (files.length > 1) {
    throw new Error(
      `scorecards.standardFiles lists ${files.length} files; one standard is scored at a time, list exactly one`,
    );
  }
  if (inline !== undefined) {
    return loadStandard(inline, {
      fileName: 'app-config scorecards.standard',
      config,
      registry: options.registry,
    });
  }
  if (files.length === 1) {
    const file = path.resolve(options.cwd ?? process.cwd(), files[0]);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(
        `scorecards.standardFile: cannot read ${file}: ${(e as Error).message}`,
      );
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (e) {
      throw new Error(
        `${files[0]}: not valid YAML: ${(e as Error).message.split('\n')[0]}`,
      );
    }
    return loadStandard(parsed, {
      fileName: files[0],
      config,
      registry: options.registry,
    });
  }
  return loadStandard(defaultStandardFile, {
    fileName: 'built-in default standard',
    config,
    registry: options.registry,
  });
}
