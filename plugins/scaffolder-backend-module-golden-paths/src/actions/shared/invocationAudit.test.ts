import {
  coreServices,
  createServiceFactory,
  type AuditorService,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { InputError, ServiceUnavailableError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  scaffolderActionsExtensionPoint,
  type TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { evidenceServiceRef } from '@internal/plugin-evidence-node';
import {
  goldenPathsServiceRef,
  type GoldenPathsService,
} from '@internal/plugin-golden-paths-node';
import { fakeLedger } from '../../__fixtures__/fakeLedger';
import {
  actionContext,
  recordingAuditor,
} from '../../__testUtils__/actionContext';
import { scaffolderModuleGoldenPaths } from '../../module';
import { createGoldenPathLedgerCloseAction } from '../ledger/ledgerClose';

// §4.5: every action writes one audit record per invocation. The actions write it on the paths
// they know; an error nobody expected (the golden-paths backend down, git failing) used to leave
// none — in the incident, where the step's record matters most. `withInvocationAudit` writes it.

const KEY = 'service-node-http:cart-api';
const down = () =>
  new ServiceUnavailableError('golden-paths backend is not answering');

/** `goldenpath:ledger:close` on the fake ledger with `closeRequest` (and more) replaced. */
function closeAction(
  overrides: Partial<GoldenPathsService> = {},
  opts: { auditor?: AuditorService; config?: object } = {},
) {
  const fake = fakeLedger();
  const recording = recordingAuditor();
  const action = createGoldenPathLedgerCloseAction({
    config: new ConfigReader(opts.config ?? {}),
    ledger: { ...fake.ledger, ...overrides },
    auditor: opts.auditor ?? recording.auditor,
  });
  return { action, events: recording.events, calls: fake.calls };
}

const closeInput = { requestKey: KEY, status: 'succeeded' as const };

/** The initiator credentials of a task a service's token started (no `ctx.user`). */
const serviceCredentials = (subject: string) =>
  ({
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'service', subject },
  } as any);

describe('withInvocationAudit: one audit record per invocation, whatever it fails with (§4.5)', () => {
  it('ledger:close with the backend down: the error surfaces and one failed record is written', async () => {
    const error = down();
    const { action, events } = closeAction({
      closeRequest: async () => {
        throw error;
      },
    });
    const { c } = actionContext(closeInput);
    await expect(action.handler(c)).rejects.toBe(error);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      eventId: 'golden-path-step',
      severityLevel: 'medium',
      outcome: 'fail',
    });
    expect(events[0].meta).toMatchObject({
      action: 'goldenpath:ledger:close',
      stepId: 'mock-step-id',
      requestKey: KEY,
      taskId: 'task-1',
      actor: { userRef: 'user:default/ana.ruiz', via: 'portal' },
      dryRun: false,
      result: 'failed',
      errorName: 'ServiceUnavailableError',
    });
    // no rule id: the backend's 503 is not a GP rule; its message is not recorded
    expect(events[0].meta).not.toHaveProperty('errorCode');
    expect(JSON.stringify(events[0].meta)).not.toContain('not answering');
  });

  it("records the error's rule id when it has one", async () => {
    const { action, events } = closeAction({
      closeRequest: async () => {
        throw new InputError(
          `GP-I03: Request "${KEY}" is being processed by another task.`,
        );
      },
    });
    await expect(action.handler(actionContext(closeInput).c)).rejects.toThrow(
      /^GP-I03/,
    );
    expect(events.map(e => [e.meta.result, e.meta.errorCode])).toEqual([
      ['failed', 'GP-I03'],
    ]);
  });

  it("a dry run's unexpected failure is recorded as a dry run's, with the kill switch it ran through", async () => {
    const { action, events } = closeAction(
      {
        requestUrl: () => {
          throw new TypeError('requestUrl is not a function');
        },
      },
      {
        config: {
          goldenPaths: {
            killSwitch: {
              actions: {
                'goldenpath:ledger:close': {
                  disabled: true,
                  reason: 'ledger maintenance',
                },
              },
            },
          },
        },
      },
    );
    const { c } = actionContext(closeInput, { isDryRun: true });
    await expect(action.handler(c)).rejects.toThrow(TypeError);
    expect(events).toHaveLength(1);
    expect(events[0].severityLevel).toBe('low');
    expect(events[0].meta).toMatchObject({
      action: 'goldenpath:ledger:close',
      dryRun: true,
      result: 'failed',
      errorName: 'TypeError',
      wouldBeRefusedBy: { ruleId: 'GP-K02' },
    });
  });

  it('says the request key is unknown when the input does not tell it, instead of recording an empty one', async () => {
    const { action, events } = closeAction();
    const { c } = actionContext(closeInput);
    // the first read fails; read again for the record, the input holds no key
    let reads = 0;
    Object.defineProperty(c, 'input', {
      get: () => {
        reads += 1;
        if (reads === 1) throw new Error('input unavailable');
        return { status: 'succeeded' };
      },
    });
    await expect(action.handler(c)).rejects.toThrow('input unavailable');
    expect(events.map(e => [e.meta.result, e.meta.requestKey])).toEqual([
      ['failed', '(unknown)'],
    ]);
  });

  it('an action that wrote its record and then threw is not recorded twice', async () => {
    const { action, events } = closeAction();
    const { c } = actionContext(closeInput);
    c.output = jest.fn(() => {
      throw new Error('output store unavailable');
    });
    await expect(action.handler(c)).rejects.toThrow('output store unavailable');
    expect(events.map(e => e.meta.result)).toEqual(['succeeded']);
  });

  it('a stop the action audits itself (its kill switch) is not recorded twice', async () => {
    const { action, events } = closeAction(
      {},
      {
        config: {
          goldenPaths: {
            killSwitch: {
              actions: {
                'goldenpath:ledger:close': {
                  disabled: true,
                  reason: 'ledger maintenance',
                },
              },
            },
          },
        },
      },
    );
    await expect(action.handler(actionContext(closeInput).c)).rejects.toThrow(
      /^GP-K02/,
    );
    expect(events.map(e => [e.meta.decision, e.meta.errorCode])).toEqual([
      ['deny', 'GP-K02'],
    ]);
  });

  it('tracks each invocation on its own: a concurrent run that wrote its record does not hide a failure', async () => {
    let fail!: (e: Error) => void;
    const { action, events } = closeAction({
      closeRequest: () =>
        new Promise((_, reject) => {
          fail = reject;
        }),
    });
    const failing = action.handler(actionContext(closeInput).c);
    // the other run (a dry run on the same action object) writes its record meanwhile
    await action.handler(actionContext(closeInput, { isDryRun: true }).c);
    fail(down());
    await expect(failing).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(events.map(e => [e.meta.dryRun, e.meta.result])).toEqual([
      [true, 'skipped'],
      [false, 'failed'],
    ]);
  });

  it('when the audit record cannot be written either, the original error surfaces and the log says so', async () => {
    const error = down();
    const auditor: AuditorService = {
      createEvent: async () => {
        throw new Error('audit log unavailable');
      },
    };
    const { action } = closeAction(
      {
        closeRequest: async () => {
          throw error;
        },
      },
      { auditor },
    );
    const { c } = actionContext(closeInput);
    await expect(action.handler(c)).rejects.toBe(error);
    expect(c.logger.error).toHaveBeenCalledWith(
      'goldenpath:ledger:close: could not write the audit record of this failed invocation: audit log unavailable',
    );
  });
});

describe('every action module.ts registers runs through withInvocationAudit', () => {
  /** The actions module.ts registers, with a recording auditor as the module's auditor. */
  async function registeredActions(auditor: AuditorService, data: object = {}) {
    const addActions = jest.fn();
    const backend = await startTestBackend({
      extensionPoints: [[scaffolderActionsExtensionPoint, { addActions }]],
      features: [
        scaffolderModuleGoldenPaths,
        mockServices.rootConfig.factory({ data: data as any }),
        catalogServiceMock.factory(),
        createServiceFactory({
          service: coreServices.auditor,
          deps: {},
          factory: () => auditor,
        }),
        createServiceFactory({
          service: goldenPathsServiceRef,
          deps: {},
          factory: () => ({} as any),
        }),
        createServiceFactory({
          service: evidenceServiceRef,
          deps: {},
          factory: () => ({} as any),
        }),
      ],
    });
    await backend.stop();
    return addActions.mock.calls.flat() as TemplateAction<any, any, any>[];
  }

  it('an unexpected error in any of them leaves exactly one failed record, with its severity (§4.5)', async () => {
    const { auditor, events } = recordingAuditor();
    const actions = await registeredActions(auditor);
    const recorded: Record<string, unknown> = {};
    for (const action of actions) {
      events.length = 0;
      const { c } = actionContext({});
      // The handler's first read of its input fails: an error no action expects, before any
      // record of its own. (Read again, as the record does, it answers: the request key, or
      // for validate the request it derives KEY from.)
      let reads = 0;
      Object.defineProperty(c, 'input', {
        get: () => {
          reads += 1;
          if (reads === 1) throw new Error('input unavailable');
          return {
            requestKey: KEY,
            kind: 'service',
            request: { name: 'cart-api' },
          };
        },
      });
      await expect(action.handler(c)).rejects.toThrow('input unavailable');
      recorded[action.id] = events.map(e => [
        e.severityLevel,
        e.meta.action,
        e.meta.requestKey,
        e.meta.result,
      ]);
    }
    const one = (severity: string, id: string) => [
      [severity, id, KEY, 'failed'],
    ];
    expect(recorded).toEqual({
      'goldenpath:validate': one('low', 'goldenpath:validate'),
      'goldenpath:preview': one('low', 'goldenpath:preview'),
      'goldenpath:ledger:open': one('medium', 'goldenpath:ledger:open'),
      // no triggers: low, as its own record of a request that needs no approval
      'goldenpath:approve': one('low', 'goldenpath:approve'),
      'goldenpath:descriptor': one('medium', 'goldenpath:descriptor'),
      'goldenpath:publish:git': one('medium', 'goldenpath:publish:git'),
      'goldenpath:register': one('medium', 'goldenpath:register'),
      'goldenpath:database:plan': one('low', 'goldenpath:database:plan'),
      'goldenpath:database:apply': one('high', 'goldenpath:database:apply'),
      'goldenpath:database:descriptor': one(
        'medium',
        'goldenpath:database:descriptor',
      ),
      'goldenpath:lifecycle': one('high', 'goldenpath:lifecycle'),
      'goldenpath:ledger:close': one('medium', 'goldenpath:ledger:close'),
    });
  });

  it('a task started with a service token (no user) is refused by each of them with GP-O05, recorded under who started it, never as a guest', async () => {
    const { auditor, events } = recordingAuditor();
    const actions = await registeredActions(auditor);
    const recorded: Record<string, unknown> = {};
    for (const action of actions) {
      events.length = 0;
      const { c } = actionContext({ requestKey: KEY });
      c.user = undefined;
      c.getInitiatorCredentials = async () =>
        serviceCredentials('external:release-bot');
      let inputRead = false;
      Object.defineProperty(c, 'input', {
        get: () => {
          inputRead = true;
          return { requestKey: KEY };
        },
      });
      const refusal = await action.handler(c).then(
        () => undefined,
        (e: Error) => e,
      );
      recorded[action.id] = [
        refusal?.name,
        refusal?.message,
        events.map(e => [e.meta.result, e.meta.errorCode, e.meta.actor]),
        // refused before the request itself is looked at (the record reads it afterwards)
        inputRead && events.length === 0 ? 'input read' : 'refused first',
      ];
    }
    const refused = [
      'InputError',
      "GP-O05: This task was started without a signed-in user (by external:release-bot), so there is nobody to check against the owning team, to keep from approving their own request or to notify. Nothing was created; run the template from the portal or with a user's token, or ask the platform team to name the User this service runs as in goldenPaths.serviceRequesters.",
      [
        [
          'failed',
          'GP-O05',
          { userRef: 'external:release-bot', via: 'portal' },
        ],
      ],
      'refused first',
    ];
    expect(Object.keys(recorded)).toHaveLength(12);
    for (const id of Object.keys(recorded)) {
      expect([id, recorded[id]]).toEqual([id, refused]);
    }
  });

  it('a task without ctx.user whose initiator is a user runs as that user (the same credentials), not refused', async () => {
    const { action, events } = closeAction();
    const { c } = actionContext(closeInput);
    c.user = undefined;
    c.getInitiatorCredentials = async () =>
      ({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'user', userEntityRef: 'user:default/ana.ruiz' },
      } as any);
    await action.handler(c);
    expect(events.map(e => [e.meta.result, e.meta.actor])).toEqual([
      ['succeeded', { userRef: 'user:default/ana.ruiz', via: 'portal' }],
    ]);
  });

  it('a service named in goldenPaths.serviceRequesters runs as its User, and its records say a machine asked', async () => {
    const { auditor, events } = recordingAuditor();
    const actions = await registeredActions(auditor, {
      goldenPaths: {
        serviceRequesters: [
          { subject: 'external:release-bot', user: 'user:default/release-bot' },
        ],
      },
    });
    const close = actions.find(a => a.id === 'goldenpath:ledger:close')!;
    const { c } = actionContext({ requestKey: KEY, status: 'succeeded' });
    c.user = undefined;
    c.getInitiatorCredentials = async () =>
      serviceCredentials('external:release-bot');
    const refusal = await close.handler(c).then(
      () => undefined,
      (e: Error) => e.message,
    );
    // not refused as a task without a user (GP-O05); what happens next is the ledger's
    expect(refusal ?? '').not.toMatch(/^GP-O05/);
    expect(events.map(e => e.meta.actor)).toEqual([
      {
        userRef: 'user:default/release-bot',
        via: 'api',
        service: 'external:release-bot',
      },
    ]);

    // another service's token is still refused, naming the setting
    events.length = 0;
    const other = actionContext({ requestKey: KEY, status: 'succeeded' }).c;
    other.user = undefined;
    other.getInitiatorCredentials = async () =>
      serviceCredentials('external:nightly');
    await expect(close.handler(other)).rejects.toThrow(
      /^GP-O05: .*\(by external:nightly\).*goldenPaths\.serviceRequesters\.$/,
    );
  });

  /**
   * `goldenpath:validate` of a module started with one valid `serviceRequesters` entry, to which
   * a config reload then added a bad one (after the start-up check passed).
   */
  async function validateAfterBadReload(
    auditor: ReturnType<typeof recordingAuditor>['auditor'],
  ) {
    const serviceRequesters = [
      { subject: 'external:release-bot', user: 'user:default/release-bot' },
    ];
    const actions = await registeredActions(auditor, {
      goldenPaths: { serviceRequesters },
    });
    serviceRequesters.push({ subject: 'external:nightly', user: 'nightly' });
    return actions.find(a => a.id === 'goldenpath:validate')!;
  }

  it("a bad serviceRequesters entry (a reload) leaves the others working, and a mapped service's unexpected failure is recorded as the service's", async () => {
    const { auditor, events } = recordingAuditor();
    const validate = await validateAfterBadReload(auditor);
    const { c } = actionContext({});
    c.user = undefined;
    c.getInitiatorCredentials = async () =>
      serviceCredentials('external:release-bot');
    // the handler's first read of its input fails: an error validate does not expect
    let reads = 0;
    Object.defineProperty(c, 'input', {
      get: () => {
        reads += 1;
        if (reads === 1) throw new Error('input unavailable');
        return { requestKey: KEY };
      },
    });
    await expect(validate.handler(c)).rejects.toThrow('input unavailable');
    expect(events.map(e => [e.meta.result, e.meta.actor])).toEqual([
      [
        'failed',
        {
          userRef: 'user:default/release-bot',
          via: 'api',
          service: 'external:release-bot',
        },
      ],
    ]);
    expect(c.logger.warn).toHaveBeenCalledWith(
      'goldenPaths.serviceRequesters[1].user must be a full User entity ref like user:default/release-bot (got "nightly"); that entry is left out for this run',
    );
  });

  it('says which serviceRequesters entries are left out once per task, not once per step', async () => {
    const { auditor } = recordingAuditor();
    const validate = await validateAfterBadReload(auditor);
    const warned = async (taskId: string) => {
      const { c } = actionContext({}, { taskId });
      c.user = undefined;
      c.getInitiatorCredentials = async () =>
        serviceCredentials('external:release-bot');
      await validate.handler(c).catch(() => undefined);
      return (c.logger.warn as jest.Mock).mock.calls.filter(([m]) =>
        /left out for this run$/.test(String(m)),
      ).length;
    };
    // the steps of one task: the first says it, the next ones do not
    expect(await warned('task-once-a')).toBe(1);
    expect(await warned('task-once-a')).toBe(0);
    expect(await warned('task-once-a')).toBe(0);
    // another task's log says it again
    expect(await warned('task-once-b')).toBe(1);
  });

  it('names nobody it cannot name: unknown, when the initiator cannot be read either', async () => {
    const { auditor, events } = recordingAuditor();
    const [validate] = (await registeredActions(auditor)).filter(
      a => a.id === 'goldenpath:validate',
    );
    const { c } = actionContext({ kind: 'service', request: {} });
    c.user = undefined;
    c.getInitiatorCredentials = async () => {
      throw new Error('no credentials');
    };
    await expect(validate.handler(c)).rejects.toThrow(
      /^GP-O05: This task was started without a signed-in user, so/,
    );
    expect(events.map(e => e.meta.actor)).toEqual([
      { userRef: 'unknown', via: 'portal' },
    ]);
  });
});
