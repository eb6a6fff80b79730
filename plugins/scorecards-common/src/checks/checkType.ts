import { Entity } from '@backstage/catalog-model';
import { z } from 'zod';
import { CatalogIndex } from '../catalog/catalogIndex';
import { EntitySubject } from '../catalog/entitySubject';
import { ScorecardsConfig } from '../config/scorecardsConfig';
import {
  LedgerRecord,
  ObservedEdge,
  SourceHealth,
} from '../evidence/evidenceTypes';
import { EvidenceRead } from '../evidence/readEvidence';
import { TelemetryPresence } from '../evidence/telemetryPresence';
import { EvidenceUsed, RawOutcome } from '../model/resultModel';
import type { LedgerNeeds } from './compactLedger';

/** An evidence kind a check type reads, so a caller can batch its reads. */
export interface EvidenceNeed {
  source: string;
  kind: string;
}

/** A check type bound to its validated (and compiled) parameters. */
export interface CompiledCall {
  type: CheckType<any, any>;
  params: unknown;
}

/** A `{ type, params }` pair as written in a standard file (also used inside combinators). */
export interface CheckCallSpec {
  type: string;
  params?: unknown;
}

/** Turns a nested `{ type, params }` into a compiled call; throws with a path on bad input. */
export type CompileChild = (spec: CheckCallSpec, path: string) => CompiledCall;

/** Everything a check type may read. Pure: no I/O, `now` is given. */
export interface CheckContext {
  readonly now: string;
  readonly nowMs: number;
  readonly entity: Entity;
  readonly subject: EntitySubject;
  readonly catalog: CatalogIndex;
  readonly config: ScorecardsConfig;
  /** Ledger records of this entity. */
  readonly ledger: readonly LedgerRecord[];
  /** Observed edges that touch this entity (either end). */
  readonly edges: readonly ObservedEdge[];
  /** Newest fact of a kind (optionally keyed), classified fresh / stale / missing / source-unavailable. */
  evidence(
    kind: string,
    options?: { key?: string; maxAgeSeconds?: number },
  ): EvidenceRead;
  /** Health of a source, undefined when none is published (treated as healthy). */
  sourceHealth(source: string): SourceHealth | undefined;
  /** The entity's own catalog record as evidence (always fresh). */
  ownCatalogEvidence(): EvidenceUsed;
  /** The catalog snapshot as evidence (other entities). */
  snapshotEvidence(): EvidenceUsed;
  /** An unknown outcome when the snapshot is older than its window (SR23), else null. */
  snapshotUnavailable(expected: string): RawOutcome | null;
  /** Whether the entity has telemetry: fresh series or an endpoint of a fresh observed edge. */
  telemetryPresence(): TelemetryPresence;
  /** Evaluates a nested call (used by combinators). */
  run(call: CompiledCall): RawOutcome;
}

/**
 * A check type: pure, with a zod schema for its parameters. This is the extension point of
 * scorecards §3: pass extra types to `createCheckTypeRegistry` and reference them by id.
 */
export interface CheckType<P = unknown, C = P> {
  id: string;
  description: string;
  paramsSchema: z.ZodType<P>;
  /** Optional second step at load time, e.g. to compile nested calls or regular expressions. */
  compile?(params: P, compileChild: CompileChild): C;
  needs(params: C): EvidenceNeed[];
  evaluate(ctx: CheckContext, params: C): RawOutcome;
  /**
   * True when every comparison of `ctx.nowMs` (or `ctx.now`) with an instant goes through
   * `stillHolds` / `reachedYet`, so the engine knows when time alone could change the outcome
   * (`collectTimeLimit`) and an unchanged evaluation can be reused until then. A type without it
   * may change at any moment: evaluations that run it are reused for a short fixed time only.
   * Every built-in type sets it.
   */
  notesTimeLimits?: true;
  /**
   * How much of `ctx.ledger` the type reads (`compactLedger`), so that a caller keeping ledgers
   * in memory may keep only those records. A custom type without it may read every record: a
   * standard that uses one keeps whole ledgers.
   */
  ledgerNeeds?(params: C): LedgerNeeds;
}

/** Declares a check type with full type inference of its parameters. */
export function defineCheckType<P, C = P>(
  type: CheckType<P, C>,
): CheckType<P, C> {
  return type;
}
