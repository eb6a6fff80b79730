/**
 * The spellings of yes and no a prefill source may give for a yes/no input, lower case: a
 * link typed by hand (`?crossRegion=yes`), a cost fact exported as text. Anything else is
 * not guessed at.
 */
const YES = ['true', 'yes', 'y', 'on', '1'] as const;
const NO = ['false', 'no', 'n', 'off', '0'] as const;

/** The accepted spellings, for notices: `true, false, yes, no, …`. */
export const YES_NO_SPELLINGS: string = YES.flatMap((yes, i) => [
  yes,
  NO[i],
]).join(', ');

/**
 * Text for a yes/no input as a boolean: the usual spellings (`true`, `yes`, `y`, `on`, `1` and
 * their opposites), in any case and surrounded by blanks; `undefined` for anything else.
 * Comparisons against fixed lists, not a lookup object, so that `constructor` or `__proto__`
 * cannot resolve to an inherited Object property.
 */
export function readYesNo(text: string): boolean | undefined {
  const spelt = text.trim().toLowerCase();
  if ((YES as readonly string[]).includes(spelt)) return true;
  if ((NO as readonly string[]).includes(spelt)) return false;
  return undefined;
}
