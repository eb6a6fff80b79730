import { ConfigReader } from '@backstage/config';
import {
  readConfigAliases,
  readOnCallCollectorConfig,
  readPrometheusCollectorConfig,
  readRepoCollectorConfig,
} from './collectorConfig';

describe('readConfigAliases', () => {
  // Telemetry names are host names and dotted service names (the README's `api.stripe.com`).
  it('reads aliases keyed by names with dots or slashes', () => {
    expect(
      readConfigAliases(
        new ConfigReader({
          evidence: {
            aliases: {
              'api.stripe.com': 'resource:default/payment-provider',
              'checkout/api': 'component:default/checkout-service',
            },
          },
        }),
      ),
    ).toEqual({
      'api.stripe.com': 'resource:default/payment-provider',
      'checkout/api': 'component:default/checkout-service',
    });
  });

  it('refuses a short ref, which would attach the alias to no entity, naming the key and the form', () => {
    for (const short of ['component:checkout-service', 'checkout-service'])
      expect(() =>
        readConfigAliases(
          new ConfigReader({ evidence: { aliases: { checkout: short } } }),
        ),
      ).toThrow(
        `evidence.aliases.checkout must be a full entity ref like component:default/<name> (got "${short}")`,
      );
    expect(
      readConfigAliases(
        new ConfigReader({
          evidence: { aliases: { checkout: ' Component:Default/Checkout ' } },
        }),
      ),
    ).toEqual({ checkout: 'component:default/checkout' });
  });

  it('reads an absent map as empty and refuses a value that is not a ref', () => {
    expect(readConfigAliases(new ConfigReader({}))).toEqual({});
    expect(() =>
      readConfigAliases(
        new ConfigReader({ evidence: { aliases: { 'api.stripe.com': [] } } }),
      ),
    ).toThrow(
      'evidence.aliases["api.stripe.com"] must be an entity ref (text, got array)',
    );
  });

  it('merges the maps of several config files', () => {
    const config = ConfigReader.fromConfigs([
      {
        context: 'app-config.yaml',
        data: { evidence: { aliases: { 'a.b': 'component:default/a' } } },
      },
      {
        context: 'app-config.production.yaml',
        data: { evidence: { aliases: { 'c.d': 'component:default/c' } } },
      },
    ]);
    expect(readConfigAliases(config)).toEqual({
      'a.b': 'component:default/a',
      'c.d': 'component:default/c',
    });
  });
});

describe('readPrometheusCollectorConfig headers', () => {
  const read = (headers: unknown) =>
    readPrometheusCollectorConfig(
      new ConfigReader({
        evidence: {
          prometheus: { baseUrl: 'http://prometheus:9090', headers },
        } as any,
      }),
    );

  it('reads header names as map keys', () => {
    expect(
      read({ Authorization: 'Bearer t', 'X.Tenant.Id': 'shop' }).settings
        ?.headers,
    ).toEqual({ Authorization: 'Bearer t', 'X.Tenant.Id': 'shop' });
  });

  it('refuses a header value that is not text without repeating it', () => {
    expect(() => read({ Authorization: { token: 'secret' } })).toThrow(
      'evidence.prometheus.headers.Authorization must be a header value (text, got object)',
    );
  });
});

describe('readPrometheusCollectorConfig enabled', () => {
  const read = (prometheus: object) =>
    readPrometheusCollectorConfig(
      new ConfigReader({ evidence: { prometheus } }),
    );

  it('refuses enabled: true without a baseUrl, naming both keys, rather than start with the collector off', () => {
    expect(() => read({ enabled: true })).toThrow(
      'evidence.prometheus.enabled is true but evidence.prometheus.baseUrl is not set (an unset environment variable?); set baseUrl, or enabled: false',
    );
  });

  it('leaves the collector off without a baseUrl when enabled is not asked for, or is false', () => {
    expect(read({}).enabled).toBe(false);
    expect(read({ enabled: false }).enabled).toBe(false);
    expect(
      read({ enabled: true, baseUrl: 'http://prometheus:9090' }).enabled,
    ).toBe(true);
  });
});

describe('readPrometheusCollectorConfig labels', () => {
  const read = (prometheus: object) =>
    readPrometheusCollectorConfig(
      new ConfigReader({
        evidence: {
          prometheus: { baseUrl: 'http://prometheus:9090', ...prometheus },
        },
      }),
    ).settings!;

  it('groups the default queries by the configured labels', () => {
    const settings = read({
      presence: { label: 'service_name' },
      slo: { idLabel: 'sloth_id' },
    });
    expect(settings.presence).toEqual({
      label: 'service_name',
      query:
        'group by (service_name) (last_over_time({__name__=~"up|target_info", service_name!=""}[1h]))',
    });
    for (const query of [
      settings.slo.objective,
      settings.slo.lastSample,
      settings.slo.burnRate1h,
      settings.slo.budgetRemaining,
    ]) {
      expect(query).toContain('max by (sloth_id)');
      expect(query).not.toContain('slo_id');
    }
    expect(settings.slo.burnRate1h).toContain('on (sloth_id)');
  });

  it('keeps a query the config names, and the §4.3 defaults without labels', () => {
    expect(
      read({ presence: { label: 'svc', query: 'count by (svc) (up)' } })
        .presence.query,
    ).toBe('count by (svc) (up)');
    const defaults = read({});
    expect(defaults.presence.query).toBe(
      'group by (service) (last_over_time({__name__=~"up|target_info", service!=""}[1h]))',
    );
    expect(defaults.slo.objective).toBe(
      'max by (slo_id) (slo:objective:ratio)',
    );
  });

  it('refuses a label that is not a Prometheus label name when a default query is built from it', () => {
    expect(() => read({ presence: { label: 'service) or vector(1' } })).toThrow(
      'evidence.prometheus.presence.label must be a Prometheus label name',
    );
    expect(() =>
      read({ slo: { idLabel: 'slo.id', objective: 'max by ("slo.id") (x)' } }),
    ).toThrow(
      'evidence.prometheus.slo.idLabel must be a Prometheus label name',
    );
  });

  it('takes a UTF-8 label (Prometheus 3) with the queries that quote it', () => {
    const settings = read({
      presence: {
        label: 'service.name',
        query: 'group by ("service.name") (target_info)',
      },
      slo: {
        idLabel: 'slo.id',
        objective: 'a',
        lastSample: 'b',
        burnRate1h: 'c',
        budgetRemaining: 'd',
      },
    });
    expect(settings.presence).toEqual({
      label: 'service.name',
      query: 'group by ("service.name") (target_info)',
    });
    expect(settings.slo.idLabel).toBe('slo.id');
  });
});

describe('collector schedules and limits', () => {
  const repo = (settings: object) =>
    readRepoCollectorConfig(new ConfigReader({ evidence: { repo: settings } }));

  it('reads a duration, a full schedule and a cron frequency', () => {
    expect(repo({ schedule: '2h' }).schedule).toEqual({
      frequency: { hours: 2 },
      timeout: { hours: 2 },
      initialDelay: { minutes: 2 },
    });
    expect(
      repo({ schedule: { frequency: { hours: 1 }, timeout: '10m' } }).schedule,
    ).toMatchObject({ frequency: { hours: 1 }, timeout: { minutes: 10 } });
    expect(
      repo({ schedule: { frequency: { cron: '0 * * * *' }, timeout: '10m' } })
        .schedule.frequency,
    ).toEqual({ cron: '0 * * * *' });
  });

  it.each([
    [{ schedule: '0m' }, 'evidence.repo.schedule must be a positive duration'],
    [
      { schedule: { hours: -6 } },
      'evidence.repo.schedule must be a positive duration',
    ],
    [
      { schedule: { frequency: '0s', timeout: '10m' } },
      'evidence.repo.schedule.frequency must be a positive duration',
    ],
    [
      { schedule: { frequency: '1h', timeout: { seconds: 0 } } },
      'evidence.repo.schedule.timeout must be a positive duration',
    ],
    [{ timeout: '0s' }, 'evidence.repo.timeout must be a positive duration'],
    [
      { requestsPerMinute: -10 },
      'evidence.repo.requestsPerMinute must be a number of at least 0 (got -10)',
    ],
    [
      { concurrency: 2.5 },
      'evidence.repo.concurrency must be a whole number from 1 to 64 (got 2.5)',
    ],
    [
      { concurrency: 0 },
      'evidence.repo.concurrency must be a whole number from 1 to 64 (got 0)',
    ],
  ])(
    'refuses %j at start-up naming the key (a 0 frequency runs back to back)',
    (settings, message) => {
      expect(() => repo(settings)).toThrow(message);
    },
  );

  it('refuses a zero Prometheus query timeout and on-call schedule', () => {
    expect(() =>
      readPrometheusCollectorConfig(
        new ConfigReader({
          evidence: {
            prometheus: {
              baseUrl: 'http://prometheus:9090',
              queryTimeout: '0s',
            },
          },
        }),
      ),
    ).toThrow('evidence.prometheus.queryTimeout must be a positive duration');
    expect(() =>
      readOnCallCollectorConfig(
        new ConfigReader({ evidence: { oncall: { schedule: '0m' } } }),
      ),
    ).toThrow('evidence.oncall.schedule must be a positive duration');
  });
});
