import { createHash } from 'node:crypto';

const PREFIX = 'edge-collection:';
/** `evidence_sequences.name` is 64 characters wide. */
const NAME_WIDTH = 64;

/**
 * The `evidence_sequences` row that holds when an edge source's last successful collection
 * ended. Keyed by the edge source (`prometheus:<metric>`), so a collector configured for another
 * metric starts with a catch-up of its own; a source too long for the column is named by its
 * digest instead.
 */
export function edgeCollectionMarkName(source: string): string {
  const name = `${PREFIX}${source}`;
  if (name.length <= NAME_WIDTH) return name;
  const digest = createHash('sha256').update(source).digest('hex');
  return `${PREFIX}${digest.slice(0, NAME_WIDTH - PREFIX.length)}`;
}
