import { memo } from 'react';
import type { HopLayout } from './layoutByHop';
import { shortRef } from './formatting';

const TIER_FILL: Record<string, string> = {
  '1': '#c62828',
  '2': '#ed6c02',
  '3': '#1565c0',
  unknown: '#9e9e9e',
};

/**
 * The SVG of one page. Memoized: the graph re-renders when entities are appended beyond the page
 * (read ahead) or a load starts, and none of that changes what is drawn.
 */
export const GraphDrawing = memo(function PageDrawing(props: {
  id: string;
  label: string;
  layout: HopLayout;
  labels: boolean;
}) {
  const { id, label, layout, labels } = props;
  const edgePath = layout.edges
    .map(e => `M${e.x1} ${e.y1}L${e.x2} ${e.y2}`)
    .join('');
  const stubPath = layout.stubs
    .map(e => `M${e.x1} ${e.y1}L${e.x2} ${e.y2}`)
    .join('');
  return (
    <svg
      id={id}
      role="img"
      aria-label={label}
      width={Math.max(layout.width + (labels ? 160 : 0), 300)}
      height={layout.height + 16}
    >
      {layout.bands.map(b => (
        <text key={b.hop} x={b.x - 6} y={12} fontSize={10} fill="#666">
          hop {b.hop}
        </text>
      ))}
      <path
        data-edges="parent"
        d={edgePath}
        stroke="#b0b0b0"
        strokeWidth={1}
        fill="none"
      />
      {stubPath && (
        <path
          data-edges="off-page"
          d={stubPath}
          stroke="#b0b0b0"
          strokeWidth={1}
          strokeDasharray="3 3"
          fill="none"
        />
      )}
      {layout.nodes.map((n, i) => (
        <circle
          // refs of restricted entities are not unique; a node's place on the page is
          key={i}
          data-node={n.hop === 0 ? 'root' : 'impacted'}
          data-ref={n.ref}
          cx={n.x}
          cy={n.y + 8}
          r={n.hop === 0 ? 7 : 5}
          fill={n.hop === 0 ? '#000' : TIER_FILL[String(n.tier ?? 'unknown')]}
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
        layout.nodes.map((n, i) => (
          <text key={`l:${i}`} x={n.x + 9} y={n.y + 11} fontSize={11}>
            {shortRef(n.ref)}
          </text>
        ))}
    </svg>
  );
});
