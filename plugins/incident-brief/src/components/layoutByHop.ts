import type { ImpactedEntity } from '@internal/plugin-incident-brief-common';
import { RESTRICTED, pathRefs } from './formatting';

/**
 * Most nodes the graph view draws at once (IB §6.5: nearest-first, "showing 1,000 of N"); bigger
 * radii are paged through in pages of this size.
 */
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
  /** short stubs left of the nodes whose parent is not drawn (on another page) */
  stubs: { x1: number; y1: number; x2: number; y2: number }[];
  bands: { hop: number; x: number; count: number }[];
  width: number;
  height: number;
  /** impacted entities drawn (the root not counted) */
  shown: number;
  /** how many impacted entities, in layout order, come before the first one drawn */
  offset: number;
}

const ROW = 14;
const SUBCOLUMN = 16;
const BAND_GAP = 90;
const MARGIN = 24;

const STUB = 24;

/** Width of one label character at the graph's 11 px font, rounded up. */
const LABEL_CHAR_WIDTH = 7;
/** The label's offset from its node (GraphDrawing) and a gap before the next band's nodes. */
const LABEL_PADDING = 24;

/**
 * The gap between hop bands when nodes are labelled: wide enough for the longest label, so a
 * label (`checkout-service`) does not run into the nodes of the next hop, as it did at 90 px.
 */
export function labelledBandGap(labels: readonly string[]): number {
  const longest = Math.max(0, ...labels.map(l => l.length));
  return Math.max(BAND_GAP, longest * LABEL_CHAR_WIDTH + LABEL_PADDING);
}

/**
 * Lays out at most `limit` impacted entities by hop, nearest first (the backend already orders
 * `impacted` by hop, tier, customer-facing, ref; the sort by hop is stable), starting `offset`
 * entities into that order — page `p` of a big radius is `offset = p × limit`. The root is always
 * drawn on the left. Each hop is a band of columns of at most `rowsPerColumn` nodes, so 1,000
 * nodes fit a bounded box and layout stays linear in the nodes. A node whose parent is on another
 * page gets a short stub instead of an edge.
 */
export function layoutByHop(
  root: { ref: string; title: string },
  impacted: ImpactedEntity[],
  options: { limit?: number; offset?: number; rowsPerColumn?: number } = {},
): HopLayout {
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  return layoutPage(root, pageByHop(impacted, options), {
    offset,
    rowsPerColumn: options.rowsPerColumn,
  });
}

/**
 * The entities page `offset / limit` of the graph draws: `impacted` by hop, nearest first (a
 * stable sort, so the backend's order within a hop is kept), `limit` of them from `offset`.
 * With `previous` (the last answer), returns `previous` itself when it holds the same entities:
 * entities appended beyond the page (the next page read ahead) leave the page, and so its
 * layout, untouched.
 */
export function pageByHop(
  impacted: ImpactedEntity[],
  options: { limit?: number; offset?: number } = {},
  previous?: readonly ImpactedEntity[],
): readonly ImpactedEntity[] {
  const limit = options.limit ?? GRAPH_NODE_LIMIT;
  const offset = Math.max(0, Math.floor(options.offset ?? 0));
  const page = [...impacted]
    .sort((a, b) => a.hop - b.hop)
    .slice(offset, offset + limit);
  if (
    previous &&
    previous.length === page.length &&
    page.every((e, i) => e === previous[i])
  )
    return previous;
  return page;
}

/**
 * Lays out the entities of one page (`pageByHop`); `offset` is where the page starts in the
 * whole radius, for the caption. Each hop is a band of columns of at most `rowsPerColumn`;
 * `bandGap` is the distance between bands (wider when the nodes are labelled).
 */
export function layoutPage(
  root: { ref: string; title: string },
  shownEntities: readonly ImpactedEntity[],
  options: { offset?: number; rowsPerColumn?: number; bandGap?: number } = {},
): HopLayout {
  const offset = options.offset ?? 0;
  const rowsPerColumn = options.rowsPerColumn ?? 40;
  const bandGap = options.bandGap ?? BAND_GAP;

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
  /** where each ref is drawn, for its children's edges */
  const position = new Map<string, { x: number; y: number }>();
  /** where each drawn entity is (refs of restricted entities are not unique) */
  const placed = new Map<ImpactedEntity, { x: number; y: number }>();
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

  let x = MARGIN + bandGap;
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
      // entities the caller may not read are all named `restricted`: none is anyone's parent
      if (e.ref !== RESTRICTED) position.set(e.ref, pos);
      placed.set(e, pos);
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
    x += (columns - 1) * SUBCOLUMN + bandGap;
  }

  const edges: HopLayout['edges'] = [];
  const stubs: HopLayout['stubs'] = [];
  for (const e of shownEntities) {
    const refs = pathRefs(root.ref, e.path);
    // a restricted entity comes without its path: only at hop 1 is its parent known (the root)
    const parentRef = e.path.length
      ? refs[refs.length - 2]
      : e.hop === 1 && root.ref;
    const parent = parentRef ? position.get(parentRef) : undefined;
    const child = placed.get(e)!;
    if (parent) {
      edges.push({ x1: parent.x, y1: parent.y, x2: child.x, y2: child.y });
    } else {
      stubs.push({ x1: child.x - STUB, y1: child.y, x2: child.x, y2: child.y });
    }
  }

  return {
    nodes,
    edges,
    stubs,
    bands,
    width: x - bandGap + MARGIN * 4,
    height,
    shown: shownEntities.length,
    offset,
  };
}
