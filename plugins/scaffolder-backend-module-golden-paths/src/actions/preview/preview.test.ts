import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  actionContext,
  outputOf,
  recordingAuditor,
} from '../../__testUtils__/actionContext';
import { fakeLedger } from '../../__fixtures__/fakeLedger';
import { createGoldenPathPreviewAction } from './preview';

const input = (extra: object = {}) => ({
  kind: 'service' as const,
  request: { kind: 'service', name: 'cart-api' },
  requestKey: 'service-node-http:cart-api',
  fingerprint: `sha256:${'f'.repeat(64)}`,
  templateRef: 'template:default/service-node-http',
  templateVersion: '1.0.0',
  policyVersion: '2026.11.0',
  approvalTriggers: [] as { id: string; reasons: string[] }[],
  names: {
    entityRef: 'component:default/cart-api',
    repoUrl: '/r/cart-api.git',
  },
  publishMode: 'local' as const,
  ...extra,
});

function setup(mode?: 'create' | 'replay' | 'resume') {
  const { ledger, calls } = fakeLedger({ mode });
  const { auditor, events } = recordingAuditor();
  const action = createGoldenPathPreviewAction({
    config: new ConfigReader({}),
    ledger,
    auditor,
  });
  return { action, calls, events };
}

describe('goldenpath:preview (golden-paths.md §4.9)', () => {
  it('lists the effects with rollback classes and a digest that ignores the run', async () => {
    const a = setup();
    const first = actionContext(input());
    await a.action.handler(first.c as any);
    const plan = outputOf(first.c, 'plan');
    expect(plan.effects).toEqual([
      {
        step: 'publish-local',
        type: 'repo.create',
        target: '/r/cart-api.git',
        reversibility: 'compensating',
      },
      {
        step: 'register',
        type: 'catalog.register',
        target: 'component:default/cart-api',
        reversibility: 'compensating',
      },
    ]);
    expect(outputOf(first.c, 'markdown')).toContain('No approval needed.');
    expect(outputOf(first.c, 'scorecard')).toEqual({
      expectedStartLevel: 'L0',
    });
    expect(outputOf(first.c, 'idempotency')).toBe('new');
    // The ledger lookup is read-only.
    expect((a.calls[0].body as any).dryRun).toBe(true);

    const again = actionContext(input(), { taskId: 'task-2', isDryRun: true });
    await setup().action.handler(again.c as any);
    expect(outputOf(again.c, 'planDigest')).toBe(
      outputOf(first.c, 'planDigest'),
    );
  });

  it('a trigger changes the digest and is routed in the markdown (V8, V11)', async () => {
    const plain = actionContext(input());
    await setup().action.handler(plain.c as any);
    const gated = actionContext(
      input({
        approvalTriggers: [{ id: 'network', reasons: ['public exposure'] }],
      }),
    );
    await setup().action.handler(gated.c as any);
    expect(outputOf(gated.c, 'planDigest')).not.toBe(
      outputOf(plain.c, 'planDigest'),
    );
    expect(outputOf(gated.c, 'markdown')).toContain(
      '- network (public exposure)',
    );
    expect(outputOf(gated.c, 'markdown')).toMatch(/Routed to group:default\//);
  });

  it('reports a replay before anything runs (V2)', async () => {
    const { c } = actionContext(input());
    await setup('replay').action.handler(c as any);
    expect(outputOf(c, 'idempotency')).toBe('replay');
  });
});

describe('goldenpath:preview of a database request (T3)', () => {
  it('names the irreversible apply, the infrastructure commit and the Resource', async () => {
    const { c } = actionContext(
      input({
        kind: 'database',
        names: {
          entityRef: 'resource:default/cart-db-dev',
          resourceName: 'cart-db-dev',
          pgIdentifier: 'cart_db_dev',
        },
      }),
    );
    await setup().action.handler(c as any);
    expect(
      outputOf(c, 'plan').effects.map(
        (e: any) => `${e.type} ${e.reversibility}`,
      ),
    ).toEqual([
      'db.apply irreversible',
      'repo.commit compensating',
      'catalog.register compensating',
    ]);
  });
});

describe('goldenpath:preview of a lifecycle request', () => {
  it("asks the gates on the initiator's behalf: their lines reach the task log", async () => {
    const { ledger, calls } = fakeLedger({
      gates: {
        entityRef: 'component:default/cart-api',
        from: 'experimental',
        transition: 'deprecate',
        to: 'deprecated',
        allowed: [],
        decision: 'allow',
        gates: [{ gate: 'G-D1', title: '', status: 'pass', message: 'ok' }],
        evaluation: {
          decision: 'allow',
          from: 'experimental',
          gates: [],
          errors: [],
          approvalTriggers: [],
        },
      },
    });
    const action = createGoldenPathPreviewAction({
      config: new ConfigReader({}),
      ledger,
    });
    const { c } = actionContext(
      input({
        kind: 'lifecycle',
        request: {
          kind: 'lifecycle',
          entity: 'component:default/cart-api',
          transition: 'deprecate',
          replacement: 'none',
          sunsetOn: '2027-01-30',
          reason: 'replaced by checkout',
        },
        requestKey: 'lifecycle:component:default/cart-api:deprecate',
      }),
    );
    await action.handler(c as any);
    const asked = calls.filter(x => x.op === 'gates');
    expect(asked.map(x => x.key)).toEqual(['component:default/cart-api']);
    expect(asked[0].credentials).toEqual(await c.getInitiatorCredentials());

    // A task no user started has `none` credentials, on whose behalf no token can be issued:
    // the gates are asked with the scaffolder's own, as before.
    (c as any).getInitiatorCredentials = async () => mockCredentials.none();
    await action.handler(c as any);
    const again = calls.filter(x => x.op === 'gates');
    expect(again).toHaveLength(2);
    expect(again[1].credentials).toBeUndefined();
  });
});
