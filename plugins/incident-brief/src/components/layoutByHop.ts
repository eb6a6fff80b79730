import type { ImpactedEntity } from '@internal/plugin-incident-brief-common';
import { pathRefs } from './formatting';

/** Most nodes the graph view draws (IB §6.5: nearest-first, "showing 1,000 of N"). */
export const GRAPH_NODE_LIMIT = 1000;

/** A positioned node of the layered graph. */
export interface LaidOutNode {
  ref: string;
  title: string;
  hop: number;
  tier: 1 | 2 | 3 | null;
  customerFacing: boolean | null;
  x: number;
  y: number;
}

/** The layered layout: one band of columns per hop, root on the left. */
export interface HopLayout {
  nodes: LaidOutNode[];
  /** parent → child segments along each node's shortest path */
  edges: { x1: number; y1: number; x2: number; y2: number }[];
  bands: { hop: number; x: number; count: number }[];
  width: number;
  height: number;
  shown: number;
}

const ROW = 14;
const SUBCOLUMN = 16;
const BAND_GAP = 90;
const MARGIN = 24;

/**
 * Lays out at most `limit` impacted entities by hop, nearest first (the backend already orders
 * `impacted` by hop, tier, customer-facing, ref). Each hop is a band of columns of at most
 * `rowsPerColumn` nodes, so 1,000 nodes fit a bounded box and layout stays linear in the nodes.
 */
export function layoutByHop(
  root: { ref: string; title: string },
  impacted: ImpactedEntity[],
  options: { limit?: number; rowsPerColumn?: number } = {},
): HopLayout {
  const limit = options.limit ?? GRAPH_NODE_LIMIT;
  const rowsPerColumn = options.rowsPerColumn ?? 40;
  const shownEntities = [...impacted]
    .sort((a, b) => a.hop - b.hop)
    .slice(0, limit);

  const byHop = new Map<number, ImpactedEntity[]>();
  for (const e of shownEntities) {
    const list = byHop.get(e.hop) ?? [];
    list.push(e);
    byHop.set(e.hop, list);
  }
  const maxRows = Math.max(
    1,
    ...[...byHop.values()].map(l => Math.min(l.length, rowsPerColumn)),
  );
  const height = MARGIN * 2 + maxRows * ROW;
  const position = new Map<string, { x: number; y: number }>();
  const nodes: LaidOutNode[] = [];
  const bands: HopLayout['bands'] = [];

  const rootPos = { x: MARGIN, y: height / 2 };
  position.set(root.ref, rootPos);
  nodes.push({
    ref: root.ref,
    title: root.title,
    hop: 0,
    tier: null,
    customerFacing: null,
    ...rootPos,
  });
  bands.push({ hop: 0, x: MARGIN, count: 1 });

  let x = MARGIN + BAND_GAP;
  for (const hop of [...byHop.keys()].sort((a, b) => a - b)) {
    const list = byHop.get(hop)!;
    const rows = Math.min(list.length, rowsPerColumn);
    const top = (height - rows * ROW) / 2 + ROW / 2;
    const bandX = x;
    bands.push({ hop, x: bandX, count: list.length });
    list.forEach((e, i) => {
      const column = Math.floor(i / rowsPerColumn);
      const pos = {
        x: bandX + column * SUBCOLUMN,
        y: top + (i % rowsPerColumn) * ROW,
      };
      position.set(e.ref, pos);
      nodes.push({
        ref: e.ref,
        title: e.title,
        hop,
        tier: e.tier,
        customerFacing: e.customerFacing,
        ...pos,
      });
    });
    const columns = Math.ceil(list.length / rowsPerColumn);
    x += (columns - 1) * SUBCOLUMN + BAND_GAP;
  }

  const edges: HopLayout['edges'] = [];
  for (const e of shownEntities) {
    const refs = pathRefs(root.ref, e.path);
    const parent = position.get(refs[refs.length - 2] ?? root.ref);
    const child = position.get(e.ref);
    if (parent && child) {
      edges.push({ x1: parent.x, y1: parent.y, x2: child.x, y2: child.y });
    }
  }

  return {
    nodes,
    edges,
    bands,
    width: x - BAND_GAP + MARGIN * 4,
    height,
    shown: shownEntities.length,
  };
}
