/** One step of a template entity, as the kill switches see it (§4.7): its id and its action. */
export interface TemplateStep {
  id: string;
  action: string;
}

/**
 * The steps a template entity lists in `spec.steps` (a step without an id is named by its
 * position, `step-<n>`), or undefined when the entity has no step list. An action switch covers
 * every step using that action (GP-K02): validate checks them against the config switches, and
 * the backend's ledger open checks its runtime switches on the same steps — one derivation, so
 * both name a step alike.
 *
 * @public
 */
export function templateStepsOf(
  template: { spec?: unknown } | undefined,
): TemplateStep[] | undefined {
  const raw = (template?.spec as { steps?: unknown } | undefined)?.steps;
  if (!Array.isArray(raw)) return undefined;
  return raw
    .filter(
      (s): s is { id?: unknown; action: string } =>
        typeof s === 'object' &&
        s !== null &&
        typeof (s as { action?: unknown }).action === 'string',
    )
    .map((s, i) => ({
      id: typeof s.id === 'string' ? s.id : `step-${i + 1}`,
      action: s.action,
    }));
}
