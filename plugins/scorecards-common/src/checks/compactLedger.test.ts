import { defineCheckType } from './checkType';
import { compactLedger, ledgerNeedsOf, LedgerNeeds } from './compactLedger';
import { z } from 'zod';
import { LedgerRecord } from '../evidence/evidenceTypes';
import { baselineWorld, World } from '../__fixtures__/baselineWorld';
import { evaluateWorld } from '../__fixtures__/evaluateWorld';
import { standardWithExtraCheck } from '../__fixtures__/standards';
import { after, before, T } from '../__fixtures__/time';
import { defaultStandardFile } from '../standard/defaultStandard';
import { loadStandard } from '../standard/parseStandard';
import { createDefaultCheckTypeRegistry } from './defaultRegistry';

const REF = 'component:default/ref-api';

/** A small deterministic PRNG (mulberry32), so a failing ledger can be replayed by its seed. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) =>
    lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)];
  return { next, int, pick };
}

/** Instants several records share, so ties are decided by id as the rules decide them. */
const SHARED = [before({ d: 3 }), before({ d: 40 }), before({ d: 200 })];

/** A ledger of every kind, environment and status, times over 500 days, artifacts repeated. */
function randomLedger(seed: number): LedgerRecord[] {
  const r = random(seed);
  return Array.from({ length: r.int(0, 60) }, (_, i) => {
    const start =
      r.next() < 0.2
        ? r.pick(SHARED)
        : before({ m: r.int(-2 * 1440, 500 * 1440) });
    const finished = new Date(
      Date.parse(start) + r.int(0, 90) * 60_000,
    ).toISOString();
    const record: LedgerRecord = {
      id: `R${r.int(0, 9999)}-${i}`,
      entityRef: r.pick([
        REF,
        REF,
        REF,
        REF.toUpperCase(),
        'component:default/other',
        null,
      ]),
      kind: r.pick([
        'deploy',
        'deploy',
        'deploy',
        'config',
        'feature-flag',
        'infra',
      ]),
      environment: r.pick(['production', 'production', 'staging']),
      status: r.pick([
        'succeeded',
        'succeeded',
        'succeeded',
        'failed',
        'rolled-back',
        'started',
      ]),
      startedAt: start,
    };
    if (r.next() < 0.85) record.finishedAt = finished;
    // stored data is typed, not trusted: a time that does not parse counts as the oldest
    if (r.next() < 0.04) record.finishedAt = 'yesterday';
    if (r.next() < 0.1) record.effectiveAt = before({ d: r.int(0, 300) });
    if (r.next() < 0.7) record.version = `1.${r.int(0, 8)}.0`;
    if (r.next() < 0.15) record.rollbackOf = `R${r.int(0, 9999)}`;
    const digest =
      r.next() < 0.7 ? `sha256:${String(r.int(0, 5)).repeat(64)}` : undefined;
    record.attributes = {
      ...(digest ? { artifactDigest: digest } : {}),
      exposure: {
        from: 0,
        to: 100,
        strategy: r.pick(['canary', 'rolling', 'blue-green']),
        analysis: r.next() < 0.6,
      },
    };
    return record;
  });
}

/** The default standard and six more ledger checks of random rules and parameters. */
function standardWithRandomRules(seed: number) {
  const r = random(seed);
  const template = defaultStandardFile.checks.find(
    c => c.id === 'deploy-recent',
  )!;
  const rules = Array.from({ length: 6 }, (_, i) => {
    const rule = r.pick([
      'recent',
      'digest',
      'distinctVersions',
      'rollback',
      'exposure',
    ]);
    return {
      ...template,
      id: `ledger-random-${i}`,
      params: {
        rule,
        environment: r.pick(['production', 'staging']),
        ...(rule === 'digest' ? {} : { withinDays: r.int(1, 400) }),
        ...(rule === 'distinctVersions' || rule === 'exposure'
          ? { count: r.int(1, 5) }
          : {}),
      },
    };
  });
  return loadStandard({
    ...defaultStandardFile,
    checks: [...defaultStandardFile.checks, ...rules],
  });
}

function archived(world: World): World {
  world.entity.spec = { ...world.entity.spec, lifecycle: 'archived' };
  world.entity.metadata.annotations = {
    ...world.entity.metadata.annotations,
    'ops.example.com/archived-on': before({ d: 120 }).slice(0, 10),
  };
  world.edges = [];
  return world;
}

describe('compactLedger', () => {
  it.each(Array.from({ length: 300 }, (_, seed) => seed))(
    'gives the evaluation of the whole ledger, now and later (seed %i)',
    seed => {
      const standard = standardWithRandomRules(seed);
      const needs = ledgerNeedsOf(standard)!;
      const ledger = randomLedger(seed);
      const kept = compactLedger(ledger, needs);
      for (const shape of [(w: World) => w, archived]) {
        for (const now of [T, after({ d: 40 }), after({ d: 200 })]) {
          const world = (records: LedgerRecord[]) => {
            const w = shape(baselineWorld());
            w.now = now;
            w.refreshedAt = now;
            w.ledger = records;
            return w;
          };
          expect(evaluateWorld(world(kept), standard)).toEqual(
            evaluateWorld(world(ledger), standard),
          );
        }
      }
    },
  );

  it('keeps a few records of a long history', () => {
    const ledger: LedgerRecord[] = Array.from({ length: 2000 }, (_, i) => ({
      id: `D${i}`,
      entityRef: REF,
      kind: 'deploy',
      environment: 'production',
      status: i % 10 === 0 ? 'failed' : 'succeeded',
      version: `1.0.${i}`,
      startedAt: before({ h: i * 5 }),
      finishedAt: before({ h: i * 5 }),
      attributes: { artifactDigest: `sha256:${String(i).padStart(64, '0')}` },
    }));
    const kept = compactLedger(ledger, { perClass: 3, artifacts: 2 });
    // the 3 newest succeeded (the 2 newest artifacts among them) and the 3 newest failed
    expect(kept.map(r => r.id)).toEqual(['D0', 'D1', 'D2', 'D3', 'D10', 'D20']);
    expect(compactLedger(ledger, { perClass: 0, artifacts: 0 })).toEqual([]);
  });

  it('keeps records whose time does not parse, and the input order', () => {
    const odd = { ...randomLedger(1)[0], finishedAt: 'yesterday', id: 'odd' };
    const ledger = [odd, ...randomLedger(2).slice(0, 3)];
    expect(compactLedger(ledger, { perClass: 0, artifacts: 0 })).toEqual([odd]);
    expect(compactLedger(ledger, { perClass: 100, artifacts: 100 })).toEqual(
      ledger,
    );
  });
});

describe('ledgerNeedsOf', () => {
  it('reads the most the default standard’s rules need', () => {
    const needs: LedgerNeeds | undefined = ledgerNeedsOf(
      loadStandard(defaultStandardFile),
    );
    // progressive-delivery inspects the last 3 deploys; rollback-ready 2 artifacts
    expect(needs).toEqual({ perClass: 3, artifacts: 2 });
  });

  it('takes the largest count of a rule, also inside allOf / anyOf', () => {
    const standard = standardWithExtraCheck('nested', 'any-of', {
      of: [
        {
          type: 'ledger',
          params: { rule: 'exposure', withinDays: 30, count: 7 },
        },
        {
          type: 'all-of',
          params: {
            of: [
              {
                type: 'ledger',
                params: { rule: 'distinctVersions', withinDays: 30, count: 4 },
              },
            ],
          },
        },
      ],
    });
    expect(ledgerNeedsOf(standard)).toEqual({ perClass: 7, artifacts: 4 });
  });

  const custom = defineCheckType({
    id: 'custom-ledger',
    description: 'reads ctx.ledger its own way',
    paramsSchema: z.strictObject({}),
    needs: () => [{ source: 'ledger', kind: 'ledger' }],
    evaluate: () => {
      throw new Error('not evaluated here');
    },
  });

  it('is undefined (keep every record) when a custom type does not declare what it reads', () => {
    expect(
      ledgerNeedsOf(
        standardWithExtraCheck('custom', 'custom-ledger', {}, [custom]),
      ),
    ).toBeUndefined();
    const declared = {
      ...custom,
      ledgerNeeds: () => ({ perClass: 5, artifacts: 0 }),
    };
    expect(
      ledgerNeedsOf(
        standardWithExtraCheck('custom', 'custom-ledger', {}, [declared]),
      ),
    ).toEqual({ perClass: 5, artifacts: 2 });
  });

  it('knows the built-in registry', () => {
    expect(
      createDefaultCheckTypeRegistry([]).get('ledger')?.ledgerNeeds,
    ).toBeDefined();
  });
});
