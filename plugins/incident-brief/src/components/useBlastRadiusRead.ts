import { useEffect, useRef, useState } from 'react';
import type {
  BlastRadiusAnswer,
  EdgeFilter,
} from '@internal/plugin-incident-brief-common';
import { useAsyncResult } from '@internal/suite-react';
import type { IncidentBriefApi } from '../api';
import { RETRY_NOT_YET_INDEXED } from './retryNotYetIndexed';
import { GRAPH_NODE_LIMIT } from './layoutByHop';

/**
 * Impacted entities a read asks for while none is shown (the list collapsed): the fewest the API
 * takes (its `limit` is 1 or more). What the collapsed card shows — counts, edge statistics,
 * confidence, "beyond the hop limit", cycles, teams to notify — is computed by the backend over
 * the whole radius whatever the limit (`computeBlastRadius`), and no row of `impacted` is read.
 * A read of 1,000 rows with their paths is hundreds of kB for a shared service.
 */
export const SUMMARY_LIMIT = 1;

/** One read's answer and what it asked for. */
interface Read {
  /** entity, hops, edge kinds: which radius */
  key: string;
  /** whether it asked for the first page of rows ({@link GRAPH_NODE_LIMIT}) */
  rows: boolean;
  answer: BlastRadiusAnswer;
}

/** The reads of the blast radius card (see {@link useBlastRadiusRead}). */
export interface BlastRadiusRead {
  /**
   * The answer whose counts are shown: the chosen radius's, read with or without its rows; while
   * its rows load (or after they failed to), the smaller answer read before. Undefined until the
   * chosen radius has an answer: an answer for other hops or edge kinds is not shown.
   */
  summary?: BlastRadiusAnswer;
  /** The chosen radius with its first page of rows, once read. */
  rows?: BlastRadiusAnswer;
  /** The last answer of any radius (what the backend takes: its hops, its `maxHops`). */
  last?: BlastRadiusAnswer;
  /** A read of the chosen radius is under way. */
  loading: boolean;
  error?: Error;
  retry: () => void;
}

/**
 * The blast radius of `entityRef` (dependents), read with {@link SUMMARY_LIMIT} rows until
 * `wantRows` (the list is open), then with the first page of rows ({@link GRAPH_NODE_LIMIT}),
 * which the card pages on from. The smaller answer stays as `summary` while the bigger one loads:
 * its counts are the same (computed over the whole radius), so they stay on screen. Once the rows
 * of a radius were read they are kept when the list closes; other hops or edge kinds picked while
 * it is closed are read without rows again. A 404 is retried while the index catches up
 * (`RETRY_NOT_YET_INDEXED`).
 */
export function useBlastRadiusRead(
  api: IncidentBriefApi,
  entityRef: string,
  search: { hops?: number; edges: EdgeFilter },
  wantRows: boolean,
): BlastRadiusRead {
  const { hops, edges } = search;
  const key = JSON.stringify([entityRef, hops ?? null, edges]);
  // the radius whose rows were asked for last: closing the list does not read it again
  const [rowsKey, setRowsKey] = useState<string>();
  useEffect(() => {
    if (wantRows) setRowsKey(key);
  }, [wantRows, key]);
  const rows = wantRows || rowsKey === key;
  const limit = rows ? GRAPH_NODE_LIMIT : SUMMARY_LIMIT;
  const result = useAsyncResult<Read>(
    async () => ({
      key,
      rows,
      answer: await api.getBlastRadius(entityRef, {
        ...(hops === undefined ? {} : { hops }),
        edges,
        direction: 'dependents',
        limit,
      }),
    }),
    [api, entityRef, hops, edges, limit],
    RETRY_NOT_YET_INDEXED,
  );
  // The last answer is kept while the next loads or after an error: as the counts of the same
  // radius while its rows load, and for the hops menu whatever it was read for.
  const last = useRef(result.value);
  if (result.value) last.current = result.value;
  const held = last.current?.key === key ? last.current : undefined;
  return {
    summary: held?.answer,
    rows: held?.rows ? held.answer : undefined,
    last: last.current?.answer,
    // until the answer asked for arrives (the hook still holds the one before it in the render
    // in which the choice changed), or the read failed
    loading:
      !result.error &&
      (result.loading ||
        result.value?.key !== key ||
        result.value.rows !== rows),
    error: result.error,
    retry: result.retry,
  };
}
