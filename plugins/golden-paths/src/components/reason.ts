/** Minimum length of the reason an approval decision, a compensation or a kill switch records (§6.3, §4.7). */
export const MIN_REASON = 10;

/** What is wrong with a reason the operator typed, in words; undefined when it is long enough. */
export function reasonError(reason: string): string | undefined {
  const length = reason.trim().length;
  return length < MIN_REASON
    ? `Reason must be at least ${MIN_REASON} characters (${length} so far).`
    : undefined;
}
