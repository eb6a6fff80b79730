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
