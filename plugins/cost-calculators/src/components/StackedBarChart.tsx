import { ReactNode } from 'react';
import { Box, Theme, Typography, useTheme } from '@material-ui/core';
import { seriesColors } from './chartParts';
import { HiddenDataTable } from './HiddenDataTable';

/** One part of the bar. */
export interface StackedBarSegment {
  id: string;
  label: string;
  value: number;
}

/** A limit drawn across the bar (usable connections, target RTO). */
export interface StackedBarReference {
  id: string;
  label: string;
  value: number;
}

/** Props of {@link StackedBarChart}. */
export interface StackedBarChartProps {
  /** Visible caption: what the bar adds up and how it compares with the limits. */
  caption: ReactNode;
  /** Caption of the hidden data table (its accessible name). */
  tableCaption: string;
  /** Header of the table's first column ("Client", "Term"). */
  partHeader: string;
  /** Header of the value column, with its unit ("Connections at full scale", "Seconds"). */
  valueHeader: string;
  segments: StackedBarSegment[];
  /** The bar's total, named ("Demand at full scale", "Estimated client RTO"). */
  total: { label: string; value: number };
  references: StackedBarReference[];
  /** A value with its unit ("250 connections", "30 s"). */
  format(value: number): string;
  /** Segment to bring forward (a Component's own client row) and what the table calls it; the others are muted. */
  highlight?: { id: string; note: string };
}

const HEIGHT = 84;
const BAR_TOP = 24;
const BAR_HEIGHT = 32;

function palette(theme: Theme): string[] {
  return [
    ...seriesColors(theme),
    theme.palette.info?.main ?? '#0288d1',
    theme.palette.error.main,
  ];
}

const percent = (value: number, domain: number) =>
  `${(domain === 0 ? 0 : (value / domain) * 100).toFixed(3)}%`;

/**
 * One horizontal stacked bar with limit lines, the shape of C10's connections and C11's
 * recovery terms (§2). A handful of rectangles needs no chart library: it is plain SVG
 * sized in percentages, so it follows the card's width without a resize observer. The
 * drawing and its legend are hidden from screen readers, which read the caption and a
 * visually hidden table of every part, the total and each limit instead; nothing in it
 * takes keyboard focus.
 */
export function StackedBarChart(props: StackedBarChartProps) {
  const { segments, references, total, format } = props;
  const highlight = props.highlight?.id;
  const theme = useTheme();
  const colors = palette(theme);
  const colorOf = (i: number) => colors[i % colors.length];
  const domain = Math.max(total.value, ...references.map(r => r.value));
  let offset = 0;
  const placed = segments.map((s, i) => {
    const at = offset;
    offset += s.value;
    return { ...s, at, color: colorOf(i) };
  });
  const muted = (id: string) => highlight !== undefined && id !== highlight;
  return (
    <figure style={{ margin: 0 }}>
      <figcaption>{props.caption}</figcaption>
      {domain > 0 && (
        <Box aria-hidden="true" mt={1}>
          <svg
            width="100%"
            height={HEIGHT}
            focusable="false"
            style={{ overflow: 'visible', display: 'block' }}
          >
            {placed.map(s => (
              <rect
                key={s.id}
                data-segment={s.id}
                x={percent(s.at, domain)}
                width={percent(s.value, domain)}
                y={BAR_TOP}
                height={BAR_HEIGHT}
                fill={s.color}
                fillOpacity={muted(s.id) ? 0.3 : 1}
                stroke={
                  s.id === highlight
                    ? theme.palette.text.primary
                    : theme.palette.background.paper
                }
                strokeWidth={s.id === highlight ? 2 : 1}
              />
            ))}
            {references.map((r, i) => {
              const x = percent(r.value, domain);
              // Alternate labels above and below the bar so close limits do not overlap.
              const above = i % 2 === 0;
              const right = r.value / domain > 0.5;
              return (
                <g key={r.id} data-reference={r.id}>
                  <line
                    x1={x}
                    x2={x}
                    y1={BAR_TOP - 6}
                    y2={BAR_TOP + BAR_HEIGHT + 6}
                    stroke={theme.palette.text.primary}
                    strokeWidth={2}
                    strokeDasharray="4 3"
                  />
                  <text
                    x={x}
                    y={above ? BAR_TOP - 10 : BAR_TOP + BAR_HEIGHT + 20}
                    dx={right ? -4 : 4}
                    textAnchor={right ? 'end' : 'start'}
                    fill={theme.palette.text.primary}
                    fontSize={theme.typography.caption.fontSize}
                  >
                    {r.label} {format(r.value)}
                  </text>
                </g>
              );
            })}
          </svg>
          <Box display="flex" flexWrap="wrap" style={{ gap: 12 }} mt={1}>
            {placed.map(s => (
              <Box
                key={s.id}
                display="flex"
                alignItems="center"
                style={{ gap: 4, opacity: muted(s.id) ? 0.6 : 1 }}
              >
                <span
                  style={{
                    width: 12,
                    height: 12,
                    backgroundColor: s.color,
                    display: 'inline-block',
                  }}
                />
                <Typography
                  variant="caption"
                  style={{ fontWeight: s.id === highlight ? 700 : undefined }}
                >
                  {s.label}: {format(s.value)}
                </Typography>
              </Box>
            ))}
          </Box>
        </Box>
      )}
      <HiddenDataTable>
        <caption>{props.tableCaption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.partHeader}</th>
            <th scope="col">{props.valueHeader}</th>
          </tr>
        </thead>
        <tbody>
          {segments.map(s => (
            <tr key={s.id}>
              <th scope="row">
                {s.label}
                {s.id === highlight ? ` (${props.highlight!.note})` : ''}
              </th>
              <td>{format(s.value)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">{total.label}</th>
            <td>{format(total.value)}</td>
          </tr>
          {references.map(r => (
            <tr key={r.id}>
              <th scope="row">{r.label}</th>
              <td>{format(r.value)}</td>
            </tr>
          ))}
        </tbody>
      </HiddenDataTable>
    </figure>
  );
}
