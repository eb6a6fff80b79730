import { memo, useMemo } from 'react';
import { Box, Typography } from '@material-ui/core';
import type { ImpactedEntity } from '@internal/plugin-incident-brief-common';
import { GRAPH_NODE_LIMIT, layoutByHop } from './layoutByHop';
import { formatCount, shortRef } from './formatting';

const TIER_FILL: Record<string, string> = {
  '1': '#c62828',
  '2': '#ed6c02',
  '3': '#1565c0',
  unknown: '#9e9e9e',
};

/** Labels are drawn only for small graphs; bigger ones keep names in node tooltips. */
const LABEL_LIMIT = 60;

/**
 * Layered SVG graph of the blast radius: root at the left, one band per hop, each node linked to
 * the parent on its shortest path. All edges are one `<path>` so 1,000 nodes stay responsive.
 */
export const BlastRadiusGraph = memo(function HopLayeredGraph(props: {
  root: { ref: string; title: string };
  impacted: ImpactedEntity[];
  total: number;
}) {
  const { root, impacted, total } = props;
  const layout = useMemo(
    () => layoutByHop(root, impacted, { limit: GRAPH_NODE_LIMIT }),
    [root, impacted],
  );
  const edgePath = useMemo(
    () => layout.edges.map(e => `M${e.x1} ${e.y1}L${e.x2} ${e.y2}`).join(''),
    [layout],
  );
  const caption =
    total > layout.shown
      ? `showing ${formatCount(layout.shown)} of ${formatCount(total)}`
      : `showing all ${formatCount(layout.shown)}`;
  const labels = layout.shown <= LABEL_LIMIT;
  return (
    <Box>
      <Typography variant="body2" data-testid="graph-caption">
        Graph by hop, nearest first: {caption}
      </Typography>
      <Box
        style={{ overflow: 'auto', maxHeight: 480 }}
        border={1}
        borderColor="divider"
        borderRadius={4}
      >
        <svg
          role="img"
          aria-label={`Blast radius graph: ${caption} impacted entities, root ${shortRef(
            root.ref,
          )} on the left, one column per hop. The list view has the same entities as text.`}
          width={Math.max(layout.width + (labels ? 160 : 0), 300)}
          height={layout.height + 16}
        >
          {layout.bands.map(b => (
            <text key={b.hop} x={b.x - 6} y={12} fontSize={10} fill="#666">
              hop {b.hop}
            </text>
          ))}
          <path d={edgePath} stroke="#b0b0b0" strokeWidth={1} fill="none" />
          {layout.nodes.map(n => (
            <circle
              key={n.ref}
              data-node={n.hop === 0 ? 'root' : 'impacted'}
              cx={n.x}
              cy={n.y + 8}
              r={n.hop === 0 ? 7 : 5}
              fill={
                n.hop === 0 ? '#000' : TIER_FILL[String(n.tier ?? 'unknown')]
              }
              stroke={n.customerFacing ? '#000' : 'none'}
            >
              <title>
                {`${shortRef(n.ref)} · hop ${n.hop}${
                  n.hop ? ` · tier ${n.tier ?? 'unknown'}` : ''
                }${n.customerFacing ? ' · customer-facing' : ''}`}
              </title>
            </circle>
          ))}
          {labels &&
            layout.nodes.map(n => (
              <text key={`l:${n.ref}`} x={n.x + 9} y={n.y + 11} fontSize={11}>
                {shortRef(n.ref)}
              </text>
            ))}
        </svg>
      </Box>
      <Typography variant="caption">
        Fill: tier 1 red · tier 2 orange · tier 3 blue · unknown grey; outlined
        = customer-facing.
      </Typography>
    </Box>
  );
});
