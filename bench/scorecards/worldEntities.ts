/**
 * Prints the entities and waivers of `syntheticWorld(count, seed)` as JSON, for a process that
 * needs those but not the world's evidence (`worldEntitiesOutOfProcess`).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs bench/scorecards/worldEntities.ts <count> <seed>
 */
import { spawnSync } from 'node:child_process';
import type { ScoredWorld } from './syntheticWorld';

/** What a catalog process needs of the world: its entities, which are scored, the waivers. */
export type WorldEntities = Pick<
  ScoredWorld,
  'entities' | 'scored' | 'waivers'
>;

/**
 * The world's entities and waivers, built in a child process. Building the world builds its
 * evidence too, whose fact values are keyed by SLO ids (one per service): built in a catalog
 * process, they fill V8's transitions of the empty object's class, and the catalog's own code
 * that runs while they do (on both sides of a comparison) keeps hidden classes of its own and
 * megamorphic inline caches after they are gone (docs/benchmarks.md, "Hidden classes"). No
 * catalog process builds such objects in production.
 */
export function worldEntitiesOutOfProcess(
  count: number,
  seed: number,
): WorldEntities {
  const child = spawnSync(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      __filename,
      String(count),
      String(seed),
    ],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  if (child.status !== 0) {
    throw new Error(
      `building the world failed (${child.status ?? child.signal})`,
    );
  }
  const { entities, scored, waivers } = JSON.parse(child.stdout);
  return {
    entities,
    scored: (scored as number[]).map(i => entities[i]),
    waivers,
  };
}

if (require.main === module) {
  // Loaded here only: a process that imports this file for the function above never builds it.
  const { syntheticWorld } = require('./syntheticWorld');
  const world: ScoredWorld = syntheticWorld(
    Number(process.argv[2]),
    Number(process.argv[3]),
  );
  const index = new Map(world.entities.map((e, i) => [e, i]));
  process.stdout.write(
    JSON.stringify({
      entities: world.entities,
      scored: world.scored.map(e => index.get(e)),
      waivers: world.waivers,
    }),
  );
}
