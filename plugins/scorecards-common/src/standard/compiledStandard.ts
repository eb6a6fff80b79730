import { CheckTypeRegistry } from '../checks/checkTypeRegistry';
import { CompiledCall } from '../checks/checkType';
import {
  PlatformCapability,
  ScorecardsConfig,
} from '../config/scorecardsConfig';
import { CheckClass, RolloutPhase, Severity, Theme } from '../model/checkModel';
import { LevelId } from '../model/levels';
import { CheckDefinition, ContextClause } from './standardSchema';

/** One rollout entry with its instant parsed once. */
export interface CompiledRolloutStep {
  phase: RolloutPhase;
  from: string;
  fromMs: number;
}

/** A check definition compiled once at load: sets, parsed dates, bound check type. */
export interface CompiledCheck {
  definition: CheckDefinition;
  id: string;
  version: number;
  title: string;
  theme: Theme;
  themeIndex: number;
  class: CheckClass;
  level: LevelId | null;
  levelIndex: number;
  severity: Severity;
  kinds: ReadonlySet<string>;
  types: ReadonlySet<string> | null;
  lifecycles: ReadonlySet<string>;
  tiers: ReadonlySet<number | string> | null;
  context: readonly ContextClause[] | null;
  rollout: readonly CompiledRolloutStep[];
  gateOnUnknown: 'warn' | 'block';
  waiverAllowed: boolean;
  waiverMaxDays: number;
  fix: { summary: string; url?: string; templateRef?: string };
  capability: PlatformCapability | null;
  retiresAtMs: number | null;
  call: CompiledCall;
}

/** A standard validated and compiled once, ready for many evaluations. */
export interface CompiledStandard {
  id: string;
  version: number;
  owner: string;
  levels: { id: LevelId; title: string; summary: string }[];
  /** Checks in output order: theme order of §4, then id. */
  checks: readonly CompiledCheck[];
  byId: ReadonlyMap<string, CompiledCheck>;
  changelog: {
    version: number;
    date: string;
    entries: {
      checkId: string;
      change: string;
      actionRequired: string;
      effectiveFrom: string;
    }[];
  }[];
  config: ScorecardsConfig;
  registry: CheckTypeRegistry;
  /**
   * What loads but is likely not what the author meant (a level no check counts toward), one
   * message per problem naming file and field, for the host to log at startup.
   */
  warnings: readonly string[];
}
