import { createKindRegistry } from './builtinKinds';

describe('kind registry (§2.2)', () => {
  it.each([
    ['repo.files', 7 * 86400],
    ['ci.summary', 30 * 86400],
    ['oncall.schedule', 86400],
    ['telemetry.presence', 86400],
    ['slo.status', 86400],
    ['link.status', 7 * 86400],
    ['rollback.drill', 400 * 86400],
    ['cost.monthly', 35 * 86400],
    ['cost.utilisation', 35 * 86400],
    ['incidents.open', 3600],
    ['change.freeze', 3600],
    ['incident.readiness', 86400],
  ])('%s is fresh for %i s by default', (kind, seconds) => {
    expect(createKindRegistry().get(kind)?.freshForSeconds).toBe(seconds);
  });

  it('adds configured kinds and lets config replace a default window', () => {
    const registry = createKindRegistry([
      { id: 'sbom.summary', freshForSeconds: 60 },
      { id: 'repo.files', freshForSeconds: 86400 },
    ]);
    expect(registry.get('sbom.summary')?.freshForSeconds).toBe(60);
    expect(registry.get('repo.files')?.freshForSeconds).toBe(86400);
    expect(createKindRegistry().get('sbom.summary')).toBeUndefined();
  });
});
