import { Entity } from '@backstage/catalog-model';
import { indexCatalog } from '../catalog/catalogIndex';
import { z } from 'zod';
import { CheckType, defineCheckType } from '../checks/checkType';
import { outcome } from '../evidence/outcomes';
import {
  baselineWorld,
  edge,
  takeEntity,
  World,
} from '../__fixtures__/baselineWorld';
import { EvidenceFact } from '../evidence/evidenceTypes';
import { demoEvaluator } from '../__fixtures__/demoEvaluator';
import { REF_API, waiverW1 } from '../__fixtures__/scenarios';
import { compileWith, standardWithExtraCheck } from '../__fixtures__/standards';
import { after, before, DAY, T } from '../__fixtures__/time';
import { CompiledStandard } from '../standard/compiledStandard';
import { scorecardStamp } from '../stamp/scorecardStamp';
import { evaluateEntity } from './evaluateEntity';
import {
  collectTimeLimit,
  noteCheckTypeRun,
  reachedYet,
  stillHolds,
} from './timeLimits';

const NOW = 1_000_000;

describe('collectTimeLimit', () => {
  it('keeps the earliest instant after now at which a comparison could change', () => {
    const { value, untilMs, complete } = collectTimeLimit(() => {
      stillHolds(true, NOW, NOW + 5000); // true until +5000, false from +5001
      reachedYet(false, NOW, NOW + 3000); // false until +2999, true from +3000
      stillHolds(false, NOW, NOW + 10); // already false for good: no limit
      reachedYet(true, NOW, NOW + 20); // already true for good: no limit
      return 'v';
    });
    expect(value).toBe('v');
    expect(untilMs).toBe(NOW + 3000);
    expect(complete).toBe(true);
  });

  it('ends a comparison that holds exactly at its last instant a millisecond later', () => {
    expect(collectTimeLimit(() => stillHolds(true, NOW, NOW)).untilMs).toBe(
      NOW + 1,
    );
    // A window noted at its last instant: a millisecond early at whole milliseconds, and never
    // late when a float sum lands a hair past the whole millisecond it stands for.
    expect(
      collectTimeLimit(() => stillHolds(true, NOW, NOW + 5000)).untilMs,
    ).toBe(NOW + 5000);
    expect(
      collectTimeLimit(() => stillHolds(true, NOW, NOW + 99.7)).untilMs,
    ).toBe(NOW + 99);
    expect(
      collectTimeLimit(() => reachedYet(false, NOW, NOW + 99.7)).untilMs,
    ).toBe(NOW + 99);
    // An instant that is not a number ends it at once.
    expect(
      collectTimeLimit(() => reachedYet(false, NOW, Number.NaN)).untilMs,
    ).toBe(NOW + 1);
  });

  it('returns each comparison unchanged, collecting or not', () => {
    expect(stillHolds(true, NOW, 0)).toBe(true);
    expect(reachedYet(false, NOW, 0)).toBe(false);
    expect(collectTimeLimit(() => reachedYet(true, NOW, 0)).value).toBe(true);
  });

  it('passes what a nested collection found to the outer one, also when it throws', () => {
    const outer = collectTimeLimit(() => {
      const inner = collectTimeLimit(() => stillHolds(true, NOW, NOW + 50));
      expect(inner.untilMs).toBe(NOW + 50);
      expect(() =>
        collectTimeLimit(() => {
          reachedYet(false, NOW, NOW + 7);
          noteCheckTypeRun({ notesTimeLimits: undefined });
          throw new Error('boom');
        }),
      ).toThrow('boom');
      return undefined;
    });
    expect(outer.untilMs).toBe(NOW + 7);
    expect(outer.complete).toBe(false);
    // Nothing leaks into the next collection.
    expect(collectTimeLimit(() => 1)).toEqual({
      value: 1,
      untilMs: Number.POSITIVE_INFINITY,
      complete: true,
    });
  });
});

/** What a reused evaluation must reproduce: the stamp and each check's state and reason. */
function outcomesOf(evaluation: ReturnType<typeof evaluateEntity>): string {
  if (!evaluation.scored) return 'unscored';
  return JSON.stringify({
    stamp: scorecardStamp(evaluation),
    results: evaluation.results.map(r => [
      r.checkId,
      r.state,
      r.rawState,
      r.reason,
      r.phase,
      r.gating,
      r.waiver?.id ?? null,
    ]),
  });
}

interface Case {
  name: string;
  standard: CompiledStandard;
  entities: Entity[];
  /** The entities evaluated (default: every entity). */
  scored?: Entity[];
  inputs: Omit<World, 'now' | 'entity' | 'others' | 'refreshedAt'>;
}

function demoCase(): Case {
  const { standard, entities, inputs } = demoEvaluator();
  const { observedEdges, ...rest } = inputs;
  return {
    name: 'the demo catalog',
    standard,
    entities,
    inputs: { ...rest, edges: observedEdges, collection: [] },
  };
}

function baselineCase(name: string, change?: (w: World) => void): Case {
  const world = baselineWorld();
  change?.(world);
  const { now: _now, entity, others, refreshedAt: _at, ...inputs } = world;
  return {
    name,
    standard: compileWith(),
    entities: [entity, ...others],
    scored: [entity],
    inputs,
  };
}

/** The fact of a kind in a world, made fresh for a year from its observation. */
function longLived(
  w: World,
  kind: string,
  entityRef: string = REF_API,
): EvidenceFact {
  const found = w.facts.find(f => f.kind === kind && f.entityRef === entityRef);
  if (!found) throw new Error(`no ${kind} fact of ${entityRef}`);
  found.freshForSeconds = 365 * DAY;
  return found;
}

/**
 * The entity's evaluation at `nowMs`, with a snapshot read at that instant (the catalog module
 * only reuses while its current snapshot is fresh), and the time limit it noted.
 */
function evaluateAt(c: Case, entity: Entity, nowMs: number) {
  const now = new Date(nowMs).toISOString();
  const { edges, ...inputs } = c.inputs;
  return collectTimeLimit(() =>
    evaluateEntity({
      ...inputs,
      observedEdges: edges,
      now,
      entity,
      standard: c.standard,
      catalog: indexCatalog({ entities: c.entities, refreshedAt: now }),
    }),
  );
}

const FROM_MS = Date.parse(before({ d: 60 }));
const TO_MS = Date.parse(after({ d: 400 }));

describe('time limits of evaluations (soundness)', () => {
  const cases: Case[] = [
    demoCase(),
    baselineCase('the baseline world'),
    baselineCase('a waiver expiring in 2 days', w =>
      w.waivers.push(waiverW1(after({ d: 2 }))),
    ),
    // Each window below closes while the evidence holding it stays fresh for a year, so the
    // walk crosses the window's own instant.
    baselineCase("an SLO's last sample ageing past its traffic window", w => {
      const status = longLived(w, 'slo.status');
      (status.value as any)['ref-api-availability'].lastSampleAt = before({
        h: 23,
      });
    }),
    baselineCase('an open critical finding ageing past 14 days', w => {
      longLived(w, 'vulns.summary').value = {
        openCritical: [{ id: 'CVE-1', firstSeenAt: before({ d: 13 }) }],
      };
    }),
    baselineCase('a restore test ageing past 90 days', w => {
      const backup = longLived(w, 'backup.status', 'resource:default/ref-db');
      (backup.value as any).lastRestoreTestAt = before({ d: 89 });
      takeEntity(w, 'Resource', 'ref-db');
    }),
    baselineCase('a retirement date passing with a dependent left', w => {
      w.entity.spec!.lifecycle = 'deprecated';
      w.entity.metadata.annotations!['ops.example.com/retire-by'] = after({
        d: 5,
      });
      const pricing = w.others.find(e => e.metadata.name === 'ref-pricing')!;
      pricing.spec!.dependsOn = ['component:default/ref-api'];
    }),
    baselineCase("an archived service's last inbound call ageing out", w => {
      w.entity.spec!.lifecycle = 'archived';
      w.entity.metadata.annotations!['ops.example.com/archived-on'] =
        '2026-03-14';
      w.edges.push(
        edge('component:default/ref-pricing', REF_API, {}, before({ d: 29 })),
      );
    }),
  ];

  it.each(cases.map(c => [c.name, c] as const))(
    'in %s, nothing but time changes no outcome before the noted instant, and every noted instant is used',
    (_name, c) => {
      let boundaries = 0;
      let changes = 0;
      for (const entity of c.scored ?? c.entities) {
        // Walks from one noted instant to the next: each comparison with now is monotonic, so
        // one that changed before the noted instant without being noted still differs a
        // millisecond before it.
        let t = FROM_MS;
        for (let step = 0; t < TO_MS; step++) {
          expect(step).toBeLessThan(500);
          const at = evaluateAt(c, entity, t);
          expect(at.complete).toBe(true);
          const expected = outcomesOf(at.value);
          expect(at.untilMs).toBeGreaterThan(t);
          // No limit (or one past the horizon) is a claim too: nothing changes until then.
          const end = Math.min(at.untilMs, TO_MS + 1);
          const last = end - 1;
          const middle = t + Math.floor((last - t) / 2);
          for (const probe of [middle, last]) {
            if (probe <= t) continue;
            const got = outcomesOf(evaluateAt(c, entity, probe).value);
            if (got !== expected) {
              throw new Error(
                `${entity.metadata.name}: evaluated at ${new Date(
                  t,
                ).toISOString()} with a limit of ${
                  Number.isFinite(at.untilMs)
                    ? new Date(at.untilMs).toISOString()
                    : 'none'
                }, but the outcomes differ at ${new Date(
                  probe,
                ).toISOString()}:\n${expected}\n${got}`,
              );
            }
          }
          if (end > TO_MS) break;
          if (outcomesOf(evaluateAt(c, entity, end).value) !== expected)
            changes++;
          boundaries++;
          t = end;
        }
      }
      // The walk crossed instants, and some of them changed an outcome: the worlds have
      // windows that close within the horizon.
      expect(boundaries).toBeGreaterThan(0);
      expect(changes).toBeGreaterThan(0);
    },
  );
});

describe('time limits and extension check types', () => {
  const clockType = defineCheckType({
    id: 'after-noon',
    description: 'passes in the afternoon (UTC), without telling the engine',
    paramsSchema: z.strictObject({}),
    needs: () => [],
    evaluate: ctx =>
      outcome(
        new Date(ctx.nowMs).getUTCHours() >= 12 ? 'pass' : 'fail',
        'CLOCK',
        'by the clock',
        'afternoon',
        String(new Date(ctx.nowMs).getUTCHours()),
        [ctx.ownCatalogEvidence()],
      ),
  });

  function evaluateWith(type: CheckType<any, any>) {
    const world = baselineWorld();
    const standard = standardWithExtraCheck('clock', type.id, {}, [type]);
    return collectTimeLimit(() =>
      evaluateEntity({
        now: T,
        entity: world.entity,
        standard,
        catalog: indexCatalog({
          entities: [world.entity, ...world.others],
          refreshedAt: T,
        }),
        facts: world.facts,
        ledger: world.ledger,
        observedEdges: world.edges,
        sourceHealth: world.sourceHealth,
        waivers: world.waivers,
      }),
    );
  }

  it('marks an evaluation that ran a type which does not note its limits as incomplete', () => {
    expect(evaluateWith(clockType).complete).toBe(false);
  });

  it('trusts a type that declares it notes its limits', () => {
    const declared = { ...clockType, notesTimeLimits: true as const };
    expect(evaluateWith(declared).complete).toBe(true);
  });
});
