import { platformGap, scenario } from '../__fixtures__/scenarios';
import { T } from '../__fixtures__/time';
import { computeRollups, RollupEntry, shareAtExpected } from './computeRollups';
import { ROLLUP_CSV_COLUMNS, rollupRowsToCsv } from './rollupCsv';

const entry = (
  evaluation: RollupEntry['evaluation'],
  owner = 'group:default/ref-team',
): RollupEntry => ({
  evaluation,
  owner,
  system: 'system:default/ref-system',
  domain: 'domain:default/ref-domain',
});

describe('rollups', () => {
  it('SC10: platform blockers count on the capability owner’s row, not the entity owner’s', () => {
    const rows = computeRollups([entry(platformGap().evaluation)], {
      groupBy: 'owner',
      now: T,
    });
    const team = rows.find(r => r.key === 'group:default/ref-team')!;
    const platform = rows.find(r => r.key === 'group:default/platform-team')!;
    expect(team).toMatchObject({
      entities: 1,
      failingServiceOwned: 0,
      platformBlocked: 0,
      byLevel: { L1: 1 },
    });
    expect(platform).toMatchObject({ entities: 0, platformBlocked: 3 });
  });

  it('SR36 counts each entity once per key and keeps not-rated entities out of the level distribution', () => {
    const rated = scenario().evaluation;
    const deprecated = scenario(
      w =>
        ((w.entity.spec as Record<string, unknown>).lifecycle = 'deprecated'),
    ).evaluation;
    const below = scenario(w => (w.entity.metadata.links = [])).evaluation;
    const [row] = computeRollups(
      [entry(rated), entry(deprecated), entry(below)],
      { groupBy: 'system', now: T },
    );
    expect(row).toMatchObject({
      key: 'system:default/ref-system',
      entities: 3,
      notRated: 1,
      byLevel: { L0: 1, L1: 0, L2: 0, L3: 1, none: 0 },
      atOrAboveExpected: 1,
      belowExpected: 1,
    });
    expect(row.checks['owner-resolves']).toEqual({
      pass: 2,
      fail: 0,
      unknown: 0,
      waived: 0,
      notApplicable: 1,
    });
    expect(row.checks['lifecycle-valid']).toEqual({
      pass: 3,
      fail: 0,
      unknown: 0,
      waived: 0,
      notApplicable: 0,
    });
    expect(shareAtExpected([row])).toEqual({
      atOrAbove: 1,
      rated: 2,
      share: 0.5,
    });
  });

  describe('§2.11 owner rollups including child groups', () => {
    // engineering ⊃ commerce ⊃ ref-team; platform-team under engineering too
    const parents: Record<string, string> = {
      'group:default/ref-team': 'group:default/commerce',
      'group:default/commerce': 'group:default/engineering',
      'group:default/platform-team': 'group:default/engineering',
    };
    const ancestorsOf = (ref: string) => {
      const out: string[] = [];
      for (let p = parents[ref]; p; p = parents[p]) out.push(p);
      return out;
    };

    it('counts an entity on its owner row and on every row above it, once each', () => {
      const rated = scenario().evaluation;
      const rows = computeRollups(
        [
          entry(rated),
          entry(rated, 'group:default/commerce'),
          entry(rated, 'user:default/ana'),
        ],
        { groupBy: 'owner', now: T, ancestorsOf },
      );
      expect(rows.map(r => [r.key, r.entities])).toEqual([
        ['group:default/commerce', 2],
        ['group:default/engineering', 2],
        ['group:default/ref-team', 1],
        ['user:default/ana', 1],
      ]);
      const commerce = rows.find(r => r.key === 'group:default/commerce')!;
      expect(commerce.checks['owner-resolves'].pass).toBe(2);
      // without the option: each entity on its own owner's row only
      expect(
        computeRollups([entry(rated), entry(rated, 'group:default/commerce')], {
          groupBy: 'owner',
          now: T,
        }).map(r => [r.key, r.entities]),
      ).toEqual([
        ['group:default/commerce', 1],
        ['group:default/ref-team', 1],
      ]);
    });

    it('counts platform blockers once per entity on the capability owner and the rows above it (SC10)', () => {
      const rows = computeRollups([entry(platformGap().evaluation)], {
        groupBy: 'owner',
        now: T,
        ancestorsOf,
      });
      const by = (key: string) => rows.find(r => r.key === key)!;
      expect(by('group:default/platform-team').platformBlocked).toBe(3);
      // engineering holds both the entity (through commerce) and platform-team's blockers
      expect(by('group:default/engineering')).toMatchObject({
        entities: 1,
        platformBlocked: 3,
      });
      expect(by('group:default/ref-team').platformBlocked).toBe(0);
      expect(by('group:default/commerce').platformBlocked).toBe(0);
    });

    it('ignores the option for System and Domain rollups', () => {
      const rows = computeRollups([entry(scenario().evaluation)], {
        groupBy: 'system',
        now: T,
        ancestorsOf,
      });
      expect(rows.map(r => r.key)).toEqual(['system:default/ref-system']);
    });
  });

  it('counts active waivers and those expiring within 14 days', () => {
    const waiver = {
      id: 'W',
      entityRef: 'component:default/ref-api',
      checkId: 'chat-channel',
      kind: 'exception' as const,
      reason: 'x'.repeat(20),
      owner: 'group:default/ref-team',
      requestedBy: 'user:default/ref-a',
      createdAt: T,
      status: 'active' as const,
    };
    const [row] = computeRollups(
      [
        {
          ...entry(scenario().evaluation),
          waivers: [
            { ...waiver, expiresAt: '2026-03-20T00:00:00Z' },
            { ...waiver, id: 'W2', expiresAt: '2026-05-20T00:00:00Z' },
            { ...waiver, id: 'W3', expiresAt: '2026-03-01T00:00:00Z' },
          ],
          regressions7d: 2,
        },
      ],
      { groupBy: 'owner', now: T },
    );
    expect(row).toMatchObject({
      waiversActive: 2,
      waiversExpiring14d: 1,
      regressions7d: 2,
    });
  });

  it('SR37 the CSV has the same rows and numbers as the JSON, columns in §7.3 order', () => {
    const rows = computeRollups(
      [
        entry(platformGap().evaluation),
        entry(scenario().evaluation, 'group:default/other, "quoted"'),
      ],
      { groupBy: 'owner', now: T },
    );
    const csv = rollupRowsToCsv(rows).trim().split('\n');
    expect(csv[0]).toBe(
      'key,kind,entities,L0,L1,L2,L3,none,not_rated,at_or_above_expected,below_expected,failing_service_owned,platform_blocked,unknown,waivers_active,waivers_expiring_14d,regressions_7d',
    );
    expect(csv).toHaveLength(rows.length + 1);
    rows.forEach((r, i) => {
      const cells = csv[i + 1].match(/("([^"]|"")*"|[^,]+)/g)!;
      expect(cells).toHaveLength(ROLLUP_CSV_COLUMNS.length);
      expect(cells.slice(2).map(Number)).toEqual([
        r.entities,
        r.byLevel.L0,
        r.byLevel.L1,
        r.byLevel.L2,
        r.byLevel.L3,
        r.byLevel.none,
        r.notRated,
        r.atOrAboveExpected,
        r.belowExpected,
        r.failingServiceOwned,
        r.platformBlocked,
        r.unknown,
        r.waiversActive,
        r.waiversExpiring14d,
        r.regressions7d,
      ]);
    });
    expect(
      csv.some(l => l.startsWith('"group:default/other, ""quoted"""')),
    ).toBe(true);
  });
});
