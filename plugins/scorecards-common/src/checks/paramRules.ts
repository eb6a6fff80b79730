/** What a parameter must hold for one op or rule, and how the load error describes it. */
export interface ParamRequirement {
  accepts(value: unknown): boolean;
  description: string;
}

export const A_NUMBER: ParamRequirement = {
  accepts: v => typeof v === 'number' && Number.isFinite(v),
  description: 'a number',
};

export const A_STRING: ParamRequirement = {
  accepts: v => typeof v === 'string',
  description: 'a string',
};

export const A_STRING_OR_STRINGS: ParamRequirement = {
  accepts: v => typeof v === 'string' || Array.isArray(v),
  description: 'a string or a list of strings',
};

export const ANY_VALUE: ParamRequirement = {
  accepts: v => v !== undefined,
  description: 'set',
};

/** The part of zod's refinement context the rules use. */
interface IssueSink {
  addIssue(issue: { code: 'custom'; path: string[]; message: string }): void;
}

/**
 * Reports `params.<field>` when it does not hold what `selector` (e.g. `op gte`, `rule recent`)
 * needs. Each type's schema leaves such parameters optional because other ops or rules do
 * without them; without this, a standard that omits one loads and then scores every entity
 * against `undefined` (e.g. "deploy within undefined d" fails everything).
 */
export function requireParam(
  ctx: IssueSink,
  params: object,
  field: string,
  requirement: ParamRequirement | undefined,
  selector: string,
): void {
  if (!requirement) return;
  const value = (params as Record<string, unknown>)[field];
  if (requirement.accepts(value)) return;
  ctx.addIssue({
    code: 'custom',
    path: [field],
    message: `must be ${requirement.description} for ${selector} (got ${
      value === undefined ? 'nothing' : JSON.stringify(value)
    })`,
  });
}
