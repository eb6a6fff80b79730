import type {
  EntityEvidence,
  EvidenceService,
} from '@internal/plugin-evidence-node';
import {
  defaultStandardFile,
  evaluateEntity,
  indexCatalog,
  loadStandard,
} from '@internal/plugin-scorecards-common';
import { Entity } from '@backstage/catalog-model';
import {
  convertEntityEvidence,
  readEvaluationEvidence,
} from './readEvaluationEvidence';

const NOW = '2026-03-14T02:05:00.000Z';
const REF = 'component:default/svc';
const standard = loadStandard({
  ...defaultStandardFile,
  checks: defaultStandardFile.checks.filter(c =>
    ['branch-protection', 'owner-resolves'].includes(c.id),
  ),
});
const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'svc',
    annotations: {
      'backstage.io/source-location': 'url:https://github.com/example/svc/',
    },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:default/t' },
};

function service(read: 'down' | string): EvidenceService {
  return {
    async readEntities(refs: string[]) {
      if (read === 'down')
        return { available: false, cause: 'timeout', since: NOW };
      const data = new Map<string, EntityEvidence>();
      data.set(refs[0], {
        facts: [
          {
            entityRef: REF,
            source: 'repo-host',
            kind: 'repo.settings',
            key: '',
            value: {
              protected: true,
              requiredReviews: 1,
              requiredStatusChecks: true,
            },
            observedAt: read,
            collectedAt: read,
            freshForSeconds: 7 * 86400,
          } as any,
        ],
        collection: [],
        ledger: [
          {
            id: 'c1',
            entityRef: REF,
            kind: 'deploy',
            environment: 'production',
            status: 'succeeded',
            startedAt: NOW,
            effectiveAt: NOW,
            attributes: { artifactDigest: 'sha256:1' },
          } as any,
        ],
      });
      return { available: true, asOf: NOW, data };
    },
    async sourceHealth() {
      return { available: false, cause: 'timeout', since: NOW };
    },
  } as Partial<EvidenceService> as EvidenceService;
}

async function branchProtection(read: 'down' | string) {
  const evidence = await readEvaluationEvidence(
    service(read),
    [REF],
    standard.config,
  );
  const evaluation = evaluateEntity({
    now: NOW,
    entity,
    catalog: indexCatalog({ entities: [], refreshedAt: NOW }),
    standard,
    ...evidence,
  });
  if (!evaluation.scored) throw new Error('not scored');
  return {
    evidence,
    result: evaluation.results.find(r => r.checkId === 'branch-protection')!,
  };
}

describe('readEvaluationEvidence', () => {
  it('maps fresh store records to engine inputs (no key for unkeyed kinds)', async () => {
    const { evidence, result } = await branchProtection('2026-03-14T01:00:00Z');
    expect(evidence.facts[0]).not.toHaveProperty('key');
    expect(evidence.ledger[0]).toMatchObject({
      id: 'c1',
      // the store's clock-corrected time travels with the record
      effectiveAt: NOW,
      attributes: { artifactDigest: 'sha256:1' },
    });
    expect(result.state).toBe('pass');
  });

  it('stale evidence makes the check unknown, never pass', async () => {
    const { result } = await branchProtection('2026-03-01T00:00:00Z');
    expect(result.state).toBe('unknown');
    expect(result.missing.map(m => m.cause)).toContain('stale');
  });

  it('an unavailable store marks every source unavailable: unknown, platform-owned', async () => {
    const { evidence, result } = await branchProtection('down');
    expect(evidence.sourceHealth.map(h => h.source)).toEqual(
      expect.arrayContaining(['repo-host', 'ledger', 'prometheus']),
    );
    expect(result.state).toBe('unknown');
    expect(result.reason).toBe('SOURCE_UNAVAILABLE');
    expect(result.attribution).toBe('platform');
  });

  describe('never rejects', () => {
    const fresh = '2026-03-14T01:00:00Z';

    /** The working fake with one of its calls replaced. */
    function broken(over: Partial<EvidenceService>): EvidenceService {
      return { ...service(fresh), ...over } as EvidenceService;
    }

    async function evaluateWith(evidence: EvidenceService) {
      const read = await readEvaluationEvidence(
        evidence,
        [REF],
        standard.config,
        NOW,
      );
      const evaluation = evaluateEntity({
        now: NOW,
        entity,
        catalog: indexCatalog({ entities: [], refreshedAt: NOW }),
        standard,
        ...read,
      });
      if (!evaluation.scored) throw new Error('not scored');
      return {
        read,
        result: evaluation.results.find(
          r => r.checkId === 'branch-protection',
        )!,
      };
    }

    it.each([
      [
        'a rejected read',
        broken({
          readEntities: async () => {
            throw new Error('socket hang up');
          },
        }),
      ],
      [
        'a read that throws before it returns a promise',
        broken({
          readEntities: () => {
            throw new TypeError('client closed');
          },
        }),
      ],
      [
        'a malformed item (facts: null)',
        broken({
          readEntities: async (refs: string[]) => ({
            available: true as const,
            asOf: NOW,
            data: new Map([
              [refs[0], { facts: null, collection: null } as any],
            ]),
          }),
        }),
      ],
    ])(
      '%s is an outage: every source unavailable, unknown, platform-owned',
      async (_name, evidence) => {
        const { read, result } = await evaluateWith(evidence);
        expect(read).toMatchObject({
          facts: [],
          ledger: [],
          observedEdges: [],
          collection: [],
        });
        expect(read.sourceHealth.map(h => h.source)).toEqual(
          expect.arrayContaining(['repo-host', 'ledger', 'prometheus']),
        );
        expect(
          read.sourceHealth.every(
            h => h.status === 'unavailable' && h.since === NOW,
          ),
        ).toBe(true);
        expect(result.state).toBe('unknown');
        expect(result.reason).toBe('SOURCE_UNAVAILABLE');
        expect(result.attribution).toBe('platform');
      },
    );

    it('a rejected health read counts as health unavailable: the facts still decide', async () => {
      const { read, result } = await evaluateWith(
        broken({
          sourceHealth: async () => {
            throw new Error('socket hang up');
          },
        }),
      );
      expect(read.sourceHealth).toEqual([]);
      expect(read.facts).toHaveLength(1);
      expect(result.state).toBe('pass');
    });
  });
});

describe('convertEntityEvidence', () => {
  const item = {
    facts: [
      {
        id: 'f1',
        entityRef: REF,
        source: 'repo-scanner',
        kind: 'repo.files',
        key: 'ci',
        value: { paths: ['src/a.ts', 'src/b.ts'] },
        observedAt: NOW,
        collectedAt: NOW,
        freshForSeconds: 86400,
      },
    ],
    collection: [
      {
        entityRef: 'group:default/t',
        source: 'oncall',
        lastAttemptAt: '2026-03-14T01:00:00Z',
        lastSuccessAt: null,
      },
    ],
    edges: {
      outgoing: [
        {
          id: 'e1',
          dependentRef: REF,
          dependencyRef: null,
          client: 'svc',
          server: 'tax',
          interaction: 'sync',
          lastSeen: NOW,
          source: 'mesh',
        },
      ],
      incoming: [],
    },
    ledger: [
      {
        id: 'c1',
        entityRef: REF,
        kind: 'deploy',
        environment: 'production',
        status: 'succeeded',
        version: '1.2.3',
        startedAt: NOW,
        attributes: { artifactDigest: 'sha256:1' },
      },
    ],
  } as unknown as EntityEvidence;

  it('gives the same evidence with strings passed through an interning', () => {
    const seen: unknown[] = [];
    const pooled = convertEntityEvidence(item, {
      intern: s => {
        seen.push(s);
        return s;
      },
      internDeep: v => {
        seen.push(v);
        return v;
      },
    });
    expect(pooled).toEqual(convertEntityEvidence(item));
    // The repeated strings go through it; ids, versions and digests (unique) do not.
    expect(seen).toEqual(
      expect.arrayContaining([
        REF,
        'repo-scanner',
        'repo.files',
        'ci',
        NOW,
        { paths: ['src/a.ts', 'src/b.ts'] },
        'group:default/t',
        'oncall',
        '2026-03-14T01:00:00Z',
        null,
        'svc',
        'tax',
        'sync',
        'mesh',
        'deploy',
        'production',
        'succeeded',
      ]),
    );
    expect(seen).not.toEqual(
      expect.arrayContaining(['f1', 'e1', 'c1', '1.2.3', 'sha256:1']),
    );
  });
});
