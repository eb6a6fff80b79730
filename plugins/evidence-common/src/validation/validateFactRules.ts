import { applyFactClock } from '../clock/factClock';
import { FieldIssue } from '../errors/errorBody';
import { EvidenceKindRegistry, RESERVED_SOURCES } from '../kinds/builtinKinds';
import { formatIssues } from './formatIssues';
import { joinFieldPath } from './fieldPath';
import { FactInput } from '../schemas/factInput';
import { normalizeTimestamp, SECONDS_PER_DAY } from '../time/timestamps';
import { DEFAULT_FACT_HISTORY_SECONDS } from '../clock/clockDefaults';

/**
 * Applies the fact rules that need the kind registry and the server clock (§3.5, §3.8, §3.9)
 * to a schema-valid {@link FactInput}; returns the window to store or the field issues.
 *
 * @public
 */
export function validateFactRules(
  input: FactInput,
  context: {
    registry: EvidenceKindRegistry;
    collectedAt: string;
    /** Source ids the caller may use although reserved (the collectors themselves). */
    allowReservedSource?: boolean;
    historySeconds?: number;
    prefix?: string;
  },
): { ok: true; freshForSeconds: number } | { ok: false; issues: FieldIssue[] } {
  const prefix = context.prefix ?? '';
  const field = (name: string) => joinFieldPath(prefix, name);
  const issues: FieldIssue[] = [];

  if (
    !context.allowReservedSource &&
    (RESERVED_SOURCES as readonly string[]).includes(input.source)
  ) {
    issues.push({
      field: field('source'),
      message: `${field('source')} "${input.source}" is reserved for the ${
        input.source
      } collector`,
    });
  }

  const kind = context.registry.get(input.kind);
  let freshForSeconds = 0;
  if (!kind) {
    issues.push({
      field: field('kind'),
      message: `${field('kind')} "${
        input.kind
      }" is not registered (evidence.kinds)`,
    });
  } else {
    freshForSeconds = input.freshForSeconds ?? kind.freshForSeconds;
    // Writers may shorten a window, never lengthen it.
    if (freshForSeconds > kind.freshForSeconds) {
      issues.push({
        field: field('freshForSeconds'),
        message: `${field('freshForSeconds')} must be at most ${
          kind.freshForSeconds
        } for kind ${kind.id} (got ${freshForSeconds})`,
      });
    }
    if (kind.schema) {
      const parsed = kind.schema.safeParse(input.value);
      if (!parsed.success) {
        issues.push(
          ...formatIssues(parsed.error.issues, input.value, field('value')),
        );
      }
    }
  }

  const clock = applyFactClock({
    observedAt: input.observedAt,
    collectedAt: context.collectedAt,
    freshForSeconds,
    historySeconds: context.historySeconds,
  });
  if (!clock.ok) {
    const days = Math.round(
      (context.historySeconds ?? DEFAULT_FACT_HISTORY_SECONDS) /
        SECONDS_PER_DAY,
    );
    issues.push({
      field: field('observedAt'),
      message: `${field(
        'observedAt',
      )} is older than the ${days}-day history retention (got ${normalizeTimestamp(
        input.observedAt,
      )})`,
    });
  }

  return issues.length > 0
    ? { ok: false, issues }
    : { ok: true, freshForSeconds };
}
