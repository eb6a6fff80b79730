import {
  BackendFeature,
  createBackendModule,
  createExtensionPoint,
} from '@backstage/backend-plugin-api';
import {
  CheckType,
  CheckTypeRegistry,
  createDefaultCheckTypeRegistry,
} from '@internal/plugin-scorecards-common';

/**
 * Adds custom check types to the standard's vocabulary (scorecards §3: "a documented extension
 * point for custom check types"). A type id that is already built in or added twice stops the
 * backend at startup, naming the id.
 *
 * @public
 */
export interface ScorecardsCheckTypesExtensionPoint {
  addCheckTypes(...types: CheckType<any, any>[]): void;
}

/**
 * The extension point of the scorecards backend (plugin `scorecards`): results, history and
 * waivers are computed with these types.
 *
 * @public
 */
export const scorecardsCheckTypesExtensionPoint =
  createExtensionPoint<ScorecardsCheckTypesExtensionPoint>({
    id: 'scorecards.check-types',
  });

/**
 * The same for the scorecards catalog module (plugin `catalog`), which stamps levels while the
 * catalog processes entities: extension points are scoped to one plugin, and both must score
 * with the same types — use {@link createScorecardsCheckTypesModules} to add them to both.
 *
 * @public
 */
export const scorecardsCatalogCheckTypesExtensionPoint =
  createExtensionPoint<ScorecardsCheckTypesExtensionPoint>({
    id: 'catalog.scorecards.check-types',
  });

/**
 * Collects the types modules add, then builds the registry once, when the owner initialises
 * (after every module that adds types: Backstage initialises the modules that use an extension
 * point before the module or plugin that provides it).
 */
export class CheckTypeCollector implements ScorecardsCheckTypesExtensionPoint {
  readonly #types: CheckType<any, any>[] = [];
  #sealed = false;

  addCheckTypes(...types: CheckType<any, any>[]): void {
    if (this.#sealed) {
      throw new Error(
        'scorecards check types must be added while modules initialise, before the standard is loaded',
      );
    }
    this.#types.push(...types);
  }

  /** The built-in types plus every added one; throws on a duplicate id. */
  registry(): CheckTypeRegistry {
    this.#sealed = true;
    return createDefaultCheckTypeRegistry(this.#types);
  }
}

/**
 * Two backend modules that add `checkTypes` to the scorecards backend and to the scorecards
 * catalog module, so the API and the stamped level agree:
 *
 * ```ts
 * for (const feature of createScorecardsCheckTypesModules({
 *   moduleId: 'sbom-checks',
 *   checkTypes: [sbomPresent],
 * })) backend.add(feature);
 * ```
 *
 * @public
 */
export function createScorecardsCheckTypesModules(options: {
  moduleId: string;
  checkTypes: CheckType<any, any>[];
}): BackendFeature[] {
  return [
    createBackendModule({
      pluginId: 'scorecards',
      moduleId: options.moduleId,
      register(env) {
        env.registerInit({
          deps: { checkTypes: scorecardsCheckTypesExtensionPoint },
          async init({ checkTypes }) {
            checkTypes.addCheckTypes(...options.checkTypes);
          },
        });
      },
    }),
    createBackendModule({
      pluginId: 'catalog',
      moduleId: `scorecards-${options.moduleId}`,
      register(env) {
        env.registerInit({
          deps: { checkTypes: scorecardsCatalogCheckTypesExtensionPoint },
          async init({ checkTypes }) {
            checkTypes.addCheckTypes(...options.checkTypes);
          },
        });
      },
    }),
  ];
}
