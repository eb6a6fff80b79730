import { baselineWorld, World } from './baselineWorld';
import { evaluateWorld } from './evaluateWorld';
import { compileWith } from './standards';
import { before } from './time';

/** Shared §6.2 scenarios for the history, gate, rollup and campaign tests. */

export const REF_API = 'component:default/ref-api';

export function prometheusDown(w: World) {
  const at = before({ h: 30 });
  w.sourceHealth = w.sourceHealth.map(h =>
    h.source === 'prometheus'
      ? { ...h, status: 'unavailable' as const, since: at, lastSuccessAt: at }
      : h,
  );
  for (const f of w.facts)
    if (f.source === 'prometheus') f.observedAt = f.collectedAt = at;
  for (const e of w.edges) e.lastSeen = at;
}

export function noBurnRules(w: World) {
  w.facts.find(f => f.kind === 'slo.alerts')!.value = {
    'ref-api-availability': { burnRateRules: 0 },
  };
}

export function waiverW1(expiresAt: string) {
  return {
    id: 'W1',
    entityRef: REF_API,
    checkId: 'slo-burn-alert',
    kind: 'exception' as const,
    reason: 'Burn-rate rules are being migrated to the new alerting stack.',
    owner: 'group:default/ref-team',
    requestedBy: 'user:default/ref-a',
    approvedBy: 'user:default/plat-lead',
    createdAt: before({ d: 10 }),
    expiresAt,
    status: 'active' as const,
  };
}

export function unprotect(w: World, what: 'branch' | 'production') {
  if (what === 'branch')
    (
      w.facts.find(f => f.kind === 'repo.settings')!.value as {
        protected: boolean;
      }
    ).protected = false;
  else
    (
      w.facts.find(f => f.kind === 'ci.security')!.value as {
        productionEnvironment: { protected: boolean };
      }
    ).productionEnvironment.protected = false;
}

/** Evaluates the baseline with a change and optional standard overrides. */
export function scenario(
  change?: (w: World) => void,
  overrides?: Parameters<typeof compileWith>[0],
  config?: Parameters<typeof compileWith>[1],
) {
  const world = baselineWorld();
  change?.(world);
  const standard = compileWith(overrides, config);
  return { world, standard, evaluation: evaluateWorld(world, standard) };
}

/**
 * SC10: the entity runs on lambda, where the platform's SLO tooling is not available, and has
 * no SLO: the three SLO checks fail attributed to the platform capability's owner.
 */
export function platformGap() {
  const slo = { platformCapability: 'slo-tooling' };
  return scenario(
    w => {
      w.entity.metadata.annotations!['ops.example.com/runtime'] = 'lambda';
      delete w.entity.metadata.annotations!['ops.example.com/slo-ids'];
    },
    { 'slo-defined': slo, 'slo-has-traffic': slo, 'slo-burn-alert': slo },
    {
      platformCapabilities: [
        {
          id: 'slo-tooling',
          owner: 'group:default/platform-team',
          availableFor: { runtimes: ['kubernetes'] },
          issue: 'PLAT-123',
        },
      ],
    },
  );
}
