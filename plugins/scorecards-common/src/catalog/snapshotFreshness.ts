/**
 * Whether a catalog snapshot read at `refreshedAtMs` is fresh at `nowMs` (SR23): its age at
 * most `freshForMs`, judged to the millisecond with the boundary inclusive; a read time that is
 * not a number is stale. The engine judges its checks on other entities by it, and the catalog
 * module its reuse of evaluations, so both must answer alike.
 */
export function isSnapshotFresh(
  nowMs: number,
  refreshedAtMs: number,
  freshForMs: number,
): boolean {
  return nowMs - refreshedAtMs <= freshForMs;
}
