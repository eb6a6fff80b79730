import { Entity } from '@backstage/catalog-model';
import { baselineWorld } from '../__fixtures__/baselineWorld';
import { compileWith } from '../__fixtures__/standards';
import { evaluateWorld } from '../__fixtures__/evaluateWorld';
import { CatalogIndex, catalogMemo, indexCatalog } from './catalogIndex';
import { entityRefOf } from './entityRefs';
import { withArrivals } from './withArrivals';

const standard = compileWith();

/** The §6.1 baseline evaluated against the given catalog. */
const evaluate = (catalog: CatalogIndex) =>
  evaluateWorld(baselineWorld(), standard, catalog);

/** The baseline's catalog split: the entities it references arrive after the snapshot. */
function splitWorld() {
  const w = baselineWorld();
  const late = new Set(['system', 'api', 'resource']);
  const arrived = w.others.filter(e => late.has(e.kind.toLowerCase()));
  const held = [w.entity, ...w.others.filter(e => !arrived.includes(e))];
  const full = indexCatalog({
    entities: [w.entity, ...w.others],
    refreshedAt: w.refreshedAt,
  });
  const snapshot = indexCatalog({ entities: held, refreshedAt: w.refreshedAt });
  return { arrived, full, snapshot, refreshedAt: w.refreshedAt };
}

const states = (catalog: CatalogIndex) =>
  evaluate(catalog).results.map(r => `${r.checkId}:${r.state}:${r.reason}`);

describe('withArrivals', () => {
  it('evaluates an entity whose System, API and database arrived after the snapshot as the full catalog would', () => {
    const { arrived, full, snapshot } = splitWorld();
    expect(arrived.map(e => e.kind).sort()).toEqual(
      expect.arrayContaining(['API', 'Resource', 'System']),
    );
    // Without the arrivals the references do not resolve, so the level is lower.
    expect(states(snapshot)).not.toEqual(states(full));
    const byRef = new Map(arrived.map(e => [entityRefOf(e), e]));
    const overlaid = withArrivals(snapshot, ref => byRef.get(ref));
    expect(states(overlaid)).toEqual(states(full));
    expect(evaluate(overlaid).level).toEqual(evaluate(full).level);
  });

  it('keeps no memo, so entities arriving later are seen by the next evaluation through the same index', () => {
    const { arrived, full, snapshot } = splitWorld();
    const byRef = new Map<string, Entity>();
    const overlaid = withArrivals(snapshot, ref => byRef.get(ref));
    expect(catalogMemo(overlaid)).toBeUndefined();
    const before = states(overlaid);
    expect(before).toEqual(states(snapshot));
    for (const e of arrived) byRef.set(entityRefOf(e), e);
    expect(states(overlaid)).toEqual(states(full));
  });

  it('answers from the snapshot for refs it holds and leaves the reverse lookups to it', () => {
    const { snapshot, refreshedAt } = splitWorld();
    const held = snapshot.get('group:default/ref-team')!;
    const impostor: Entity = {
      ...held,
      spec: { ...held.spec, parent: 'group:default/elsewhere' },
    };
    const overlaid = withArrivals(snapshot, () => impostor);
    expect(overlaid.get('group:default/ref-team')).toBe(held);
    expect(overlaid.get('system:default/nowhere')).toBe(impostor);
    expect(overlaid.parentOf('group:default/ref-team')).toBe(
      snapshot.parentOf('group:default/ref-team'),
    );
    expect(overlaid.membersOf('group:default/ref-team')).toEqual(
      snapshot.membersOf('group:default/ref-team'),
    );
    expect(overlaid.refreshedAt).toBe(refreshedAt);
  });
});
