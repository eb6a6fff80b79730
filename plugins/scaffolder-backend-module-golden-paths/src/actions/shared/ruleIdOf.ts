/**
 * The GP rule id an error's message starts with (`GP-K02: …` → `GP-K02`), or undefined: what the
 * ledger records as a failed request's or step's `errorCode` (golden-paths.md §5 catalogue).
 */
export function ruleIdOf(error: unknown): string | undefined {
  const message =
    typeof error === 'string' ? error : (error as Error | undefined)?.message;
  return /^(GP-[A-Z]\d{2})/.exec(String(message ?? ''))?.[1];
}
