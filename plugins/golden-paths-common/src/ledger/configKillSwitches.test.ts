import { mergeSwitchMaps, readConfigKillSwitches } from './configKillSwitches';

const SINCE = '2026-11-23T09:30:00Z';

/** A config as `Config#getOptional` answers it: `goldenPaths.<source>` as one plain value. */
const config = (goldenPaths: Record<string, unknown>) => ({
  getOptional: (key: string) =>
    key.startsWith('goldenPaths.')
      ? goldenPaths[key.slice('goldenPaths.'.length)]
      : undefined,
});

describe('readConfigKillSwitches (golden-paths.md §4.7, §9)', () => {
  it('reads nothing switched off without config', () => {
    expect(readConfigKillSwitches(config({}))).toEqual({
      templates: {},
      actions: {},
    });
  });

  it('reads template names and action ids that are not config keys as plain map keys', () => {
    const switches = readConfigKillSwitches(
      config({
        killSwitch: {
          all: { disabled: false },
          templates: {
            'node.v2': { disabled: true, reason: 'broken', since: SINCE },
            '2fa-service': { disabled: 'true' },
            'svc--v2': { disabled: 'False', reason: 'fixed' },
          },
          actions: { 'goldenpath:register': { disabled: true } },
        },
      }),
    );
    expect(switches).toEqual({
      all: { disabled: false },
      templates: {
        'node.v2': {
          disabled: true,
          reason: 'broken',
          since: '2026-11-23T09:30:00.000Z',
        },
        '2fa-service': { disabled: true },
        'svc--v2': { disabled: false, reason: 'fixed' },
      },
      actions: { 'goldenpath:register': { disabled: true } },
    });
  });

  it('takes an unquoted YAML timestamp (a Date) and an offset as the same instant', () => {
    const { templates } = readConfigKillSwitches(
      config({
        killSwitch: {
          templates: {
            a: { disabled: true, since: new Date(SINCE) },
            b: { disabled: true, since: '2026-11-23T10:30:00+01:00' },
          },
        },
      }),
    );
    expect(templates!.a.since).toBe('2026-11-23T09:30:00.000Z');
    expect(templates!.b.since).toBe('2026-11-23T09:30:00.000Z');
  });

  it('reads killSwitches as an alias: a switch off in either source is off, killSwitch first', () => {
    const switches = readConfigKillSwitches(
      config({
        killSwitch: {
          all: { disabled: true, reason: 'from killSwitch' },
          templates: { a: { disabled: false, reason: 'on in killSwitch' } },
        },
        killSwitches: {
          all: { disabled: true, reason: 'from killSwitches' },
          templates: {
            a: { disabled: true, reason: 'off in killSwitches' },
            b: { disabled: false },
          },
          actions: { 'goldenpath:register': { disabled: true } },
        },
      }),
    );
    expect(switches).toEqual({
      all: { disabled: true, reason: 'from killSwitch' },
      templates: {
        a: { disabled: true, reason: 'off in killSwitches' },
        b: { disabled: false },
      },
      actions: { 'goldenpath:register': { disabled: true } },
    });
  });

  it.each([
    [
      { killSwitch: 'off' },
      'goldenPaths.killSwitch must be an object with all, templates and/or actions, got "off"',
    ],
    [
      { killSwitch: { template: {} } },
      'goldenPaths.killSwitch has unknown key "template"; it takes only all, templates, actions',
    ],
    [
      { killSwitches: { templates: ['node.v2'] } },
      'goldenPaths.killSwitches.templates must map template names to switches, got a list',
    ],
    [
      { killSwitch: { templates: { 'node.v2': true } } },
      'goldenPaths.killSwitch.templates["node.v2"] must be an object such as { disabled: true, reason: "…", since: "2026-11-23T09:30:00Z" }, got true',
    ],
    [
      { killSwitch: { actions: { 'goldenpath:register': { disable: true } } } },
      'goldenPaths.killSwitch.actions["goldenpath:register"] has unknown key "disable"; it takes only disabled, reason, since',
    ],
    [
      { killSwitch: { all: { disabled: 'yes' } } },
      'goldenPaths.killSwitch.all.disabled must be true or false, got "yes"',
    ],
    [
      { killSwitch: { all: { disabled: 1 } } },
      'goldenPaths.killSwitch.all.disabled must be true or false, got 1',
    ],
    [
      { killSwitch: { templates: { '2fa-service': { since: '2026-11-23' } } } },
      'goldenPaths.killSwitch.templates["2fa-service"].since must be an ISO-8601 instant with a zone, e.g. 2026-11-23T09:30:00Z, got "2026-11-23"',
    ],
    [
      { killSwitch: { templates: { x: { since: '2026-02-30T09:30:00Z' } } } },
      'goldenPaths.killSwitch.templates["x"].since must be an ISO-8601 instant',
    ],
    [
      { killSwitch: { templates: { x: { reason: 42 } } } },
      'goldenPaths.killSwitch.templates["x"].reason must be a non-empty text, got 42',
    ],
    [
      // validate matches the lower-cased template name: this switch would be listed and stop nothing
      {
        killSwitches: {
          templates: { 'Service-Node-HTTP': { disabled: true } },
        },
      },
      'goldenPaths.killSwitches.templates["Service-Node-HTTP"] never matches: template names are matched in lower case, as the catalog normalizes them; did you mean "service-node-http"?',
    ],
  ])('refuses %j, naming the config path', (goldenPaths, message) => {
    expect(() => readConfigKillSwitches(config(goldenPaths))).toThrow(message);
  });
});

describe('mergeSwitchMaps', () => {
  it('keeps a switch off when any map has it off, the first map’s state otherwise', () => {
    expect(
      mergeSwitchMaps(
        { a: { disabled: false, reason: 'first' }, b: { disabled: true } },
        { a: { disabled: true, reason: 'second' }, b: { disabled: false } },
        { c: { disabled: false } },
      ),
    ).toEqual({
      a: { disabled: true, reason: 'second' },
      b: { disabled: true },
      c: { disabled: false },
    });
  });
});
