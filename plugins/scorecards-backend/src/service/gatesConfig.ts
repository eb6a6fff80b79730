import { Config } from '@backstage/config';
import { DEFAULT_GATE_READINESS, GateReadinessConfig } from './checkSummaries';

function share(config: Config, key: string, fallback: number): number {
  const value = config.getOptionalNumber(key);
  if (value === undefined) return fallback;
  if (!(value >= 0 && value <= 1)) {
    throw new Error(
      `scorecards.gates.readiness.${key} must be a share between 0 and 1 (got ${value})`,
    );
  }
  return value;
}

/**
 * `scorecards.gates` (§7.6): `unknown` is the `gateOnUnknown` of checks that do not set their own
 * (default `warn`, SR29); `readiness` holds the gate-readiness thresholds of the checks page
 * (§2.4, defaults 5 % unknown, 1 % upheld disputes).
 */
export function readGatesConfig(root: Config): {
  unknown: 'warn' | 'block';
  readiness: GateReadinessConfig;
} {
  const unknown = root.getOptionalString('scorecards.gates.unknown') ?? 'warn';
  if (unknown !== 'warn' && unknown !== 'block') {
    throw new Error(
      `scorecards.gates.unknown must be one of warn, block (got "${unknown}")`,
    );
  }
  const readiness = root.getOptionalConfig('scorecards.gates.readiness');
  return {
    unknown,
    readiness: readiness
      ? {
          maxUnknownRate: share(
            readiness,
            'maxUnknownRate',
            DEFAULT_GATE_READINESS.maxUnknownRate,
          ),
          maxUpheldDisputeShare: share(
            readiness,
            'maxUpheldDisputeShare',
            DEFAULT_GATE_READINESS.maxUpheldDisputeShare,
          ),
        }
      : DEFAULT_GATE_READINESS,
  };
}
