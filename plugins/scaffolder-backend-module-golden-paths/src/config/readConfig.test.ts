import { ConfigReader } from '@backstage/config';
import {
  readGenerationSettings,
  readGoldenPathsConfig,
  readKillSwitches,
  readPublishSettings,
  readServiceRequesters,
} from './readConfig';
import {
  checkGoldenPathsConfig,
  productionDefaultWarnings,
} from './checkConfig';

const config = (goldenPaths: object) => new ConfigReader({ goldenPaths });

describe('readConfig (golden-paths.md §9)', () => {
  it('takes the note defaults without config', () => {
    const publish = readPublishSettings(new ConfigReader({}));
    expect(publish).toMatchObject({
      mode: 'local',
      defaultBranch: 'main',
      githubVisibility: 'internal',
    });
    expect(
      readGoldenPathsConfig(new ConfigReader({})).policy.ownerMembership,
    ).toBe('warn');
  });

  it('reads the allowed values', () => {
    expect(
      readPublishSettings(
        config({
          publish: {
            mode: 'github',
            github: { org: 'acme', visibility: 'private' },
            git: { defaultBranch: 'trunk' },
          },
        }),
      ),
    ).toMatchObject({
      mode: 'github',
      githubOrg: 'acme',
      githubVisibility: 'private',
      defaultBranch: 'trunk',
    });
    expect(
      readGoldenPathsConfig(config({ policy: { ownerMembership: 'deny' } }))
        .policy.ownerMembership,
    ).toBe('deny');
  });

  it('refuses a value outside the allowed ones instead of falling back to the default', () => {
    expect(() =>
      readGoldenPathsConfig(config({ policy: { ownerMembership: 'Deny' } })),
    ).toThrow(
      'goldenPaths.policy.ownerMembership must be one of warn, deny (got "Deny"); values are case-sensitive',
    );
    expect(() =>
      readPublishSettings(config({ publish: { mode: 'Github' } })),
    ).toThrow(
      'goldenPaths.publish.mode must be one of local, github, gitlab (got "Github"); values are case-sensitive',
    );
    expect(() =>
      readPublishSettings(
        config({ publish: { github: { visibility: 'secret' } } }),
      ),
    ).toThrow(
      'goldenPaths.publish.github.visibility must be one of private, internal, public (got "secret"); values are case-sensitive',
    );
  });

  it('checkGoldenPathsConfig reads every setting the actions read on each run, so a typo stops the backend at startup', () => {
    expect(() => checkGoldenPathsConfig(new ConfigReader({}))).not.toThrow();
    for (const [bad, message] of [
      [{ policy: { ownerMembership: 'Deny' } }, /ownerMembership/],
      [{ publish: { mode: 'Github' } }, /goldenPaths\.publish\.mode/],
      [
        {
          database: {
            priceBook: { hourly: { 'example.rds-postgres.s': 'x' } },
          },
        },
        /hourly\["example\.rds-postgres\.s"\]/,
      ],
      [
        { killSwitch: { templates: { 'node.v2': { disabled: 'yes' } } } },
        'goldenPaths.killSwitch.templates["node.v2"].disabled must be true or false, got "yes"',
      ],
      [
        { killSwitches: { actions: { 'goldenpath:register': 'off' } } },
        'goldenPaths.killSwitches.actions["goldenpath:register"] must be an object',
      ],
      [
        { register: { waitSeconds: 0 } },
        'goldenPaths.register.waitSeconds must be a whole number from 1 to 300 (got 0)',
      ],
      [
        { register: { waitSeconds: 86400 } },
        'goldenPaths.register.waitSeconds must be a whole number from 1 to 300 (got 86400)',
      ],
      [
        { register: { waitSeconds: 2.5 } },
        'goldenPaths.register.waitSeconds must be a whole number from 1 to 300 (got 2.5)',
      ],
    ] as const) {
      expect(() => checkGoldenPathsConfig(config(bad))).toThrow(message);
    }
  });

  it('refuses an approval route that names no trigger, at startup (checkGoldenPathsConfig)', () => {
    const misspelt = config({
      approvals: { routes: { tier1: ['group:default/sre'] } },
    });
    const message =
      'goldenPaths.approvals.routes.tier1 is not an approval trigger; use one of production-data, iam, network, cost, tier-1, destructive, exception';
    expect(() => readGoldenPathsConfig(misspelt)).toThrow(message);
    expect(() => checkGoldenPathsConfig(misspelt)).toThrow(message);
    expect(
      readGoldenPathsConfig(
        config({ approvals: { routes: { 'tier-1': ['group:default/sre'] } } }),
      ).approvals.routes['tier-1'],
    ).toEqual(['group:default/sre']);
  });

  it("reads register.waitSeconds within register's own range, 20 when absent", () => {
    expect(
      readGenerationSettings(new ConfigReader({})).registerWaitSeconds,
    ).toBe(20);
    for (const waitSeconds of [1, 300]) {
      expect(
        readGenerationSettings(config({ register: { waitSeconds } }))
          .registerWaitSeconds,
      ).toBe(waitSeconds);
    }
  });

  it('reads serviceRequesters by subject, and refuses an entry it could not apply at start', () => {
    expect(readServiceRequesters(new ConfigReader({}))).toEqual(new Map());
    expect(
      readServiceRequesters(
        config({
          serviceRequesters: [
            {
              subject: 'external:release-bot',
              user: 'User:Default/Release-Bot',
            },
          ],
        }),
      ),
    ).toEqual(new Map([['external:release-bot', 'user:default/release-bot']]));
    const refused = (entries: object[]) => () =>
      checkGoldenPathsConfig(config({ serviceRequesters: entries }));
    expect(refused([{ subject: 'external:ci', user: 'release-bot' }])).toThrow(
      'goldenPaths.serviceRequesters[0].user must be a full User entity ref like user:default/release-bot (got "release-bot")',
    );
    expect(
      refused([{ subject: 'external:ci', user: 'group:default/ops' }]),
    ).toThrow(/serviceRequesters\[0\]\.user must be a full User entity ref/);
    expect(
      refused([
        { subject: 'external:ci', user: 'user:default/a' },
        { subject: 'external:ci', user: 'user:default/b' },
      ]),
    ).toThrow(
      'goldenPaths.serviceRequesters[1].subject "external:ci" is listed twice',
    );
    expect(refused([{ subject: ' ', user: 'user:default/a' }])).toThrow(
      'goldenPaths.serviceRequesters[0].subject must not be empty',
    );
    expect(refused([{ user: 'user:default/a' }])).toThrow(/subject/);
  });

  it('reads the kill switches as golden-paths-backend does: names that are not config keys, either source off', () => {
    expect(
      readKillSwitches(
        config({
          killSwitch: {
            templates: {
              'node.v2': { disabled: true, since: '2026-11-23T09:30:00Z' },
              '2fa-service': { disabled: true, reason: 'INC-7' },
            },
          },
          killSwitches: {
            templates: { 'svc--v2': { disabled: true } },
            actions: { 'goldenpath:register': { disabled: true } },
          },
        }),
      ),
    ).toEqual({
      templates: {
        'node.v2': { disabled: true, since: '2026-11-23T09:30:00.000Z' },
        '2fa-service': { disabled: true, reason: 'INC-7' },
        'svc--v2': { disabled: true },
      },
      actions: { 'goldenpath:register': { disabled: true } },
    });
  });

  it('warns in production about ownerMembership and publish.mode left at their developer defaults', () => {
    const unset = new ConfigReader({});
    expect(productionDefaultWarnings(unset, 'development')).toEqual([]);
    expect(productionDefaultWarnings(unset, 'production')).toEqual([
      'goldenPaths.policy.ownerMembership is not set: the default warn lets anyone create a service owned by any team (GP-O03 only warns); set deny for production',
      "goldenPaths.publish.mode is not set: the default local publishes repositories to this backend's own disk (one replica's, lost on redeploy); set github for production",
    ]);
    // set on purpose, even to the developer value: no warning
    expect(
      productionDefaultWarnings(
        config({
          policy: { ownerMembership: 'warn' },
          publish: { mode: 'local' },
        }),
        'production',
      ),
    ).toEqual([]);
  });
});
