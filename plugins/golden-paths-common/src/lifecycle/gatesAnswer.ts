import type { Transition } from '../schemas/requestSchemas';
import type { TransitionEvaluation } from './evaluateTransition';

/**
 * A lifecycle gate as the backend answers it and the Lifecycle card shows it (§7.1): pass, fail
 * or unknown (a source could not be read — never a pass), with its message.
 *
 * @public
 */
export interface LifecycleGateView {
  gate: string;
  title: string;
  status: 'pass' | 'fail' | 'unknown';
  /** GP-Lxx of a failed gate. */
  ruleId?: string;
  /** The exact GP-L text when failed; why it is unknown; the condition when passed. */
  message: string;
  /** An approved `exception` may waive this failure (GP-L08, GP-L13). */
  waivable?: boolean;
}

/**
 * Answer of `GET /api/golden-paths/lifecycle/gates` (§4.8): the dry evaluation of one transition,
 * shared by the backend, the scaffolder's lifecycle action and the frontend.
 *
 * @public
 */
export interface LifecycleGatesAnswer {
  entityRef: string;
  from: string;
  transition: Transition;
  to?: string;
  /** Transitions allowed from `from` (§7.1). */
  allowed: Transition[];
  /** `unknown` when no gate failed but at least one could not be evaluated (never a pass). */
  decision: 'allow' | 'deny' | 'needs-approval' | 'unknown';
  gates: LifecycleGateView[];
  /** The pure evaluation (§7), run with unknown facts counted as not met. */
  evaluation: TransitionEvaluation;
}
