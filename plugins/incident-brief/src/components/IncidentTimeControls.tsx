import { useEffect, useRef, useState } from 'react';
import { Button, TextField } from '@material-ui/core';
import type { BriefQuery } from '../api';
import { LabelledSelect } from '@internal/suite-react';
import { CardControls } from './CardControls';

/** Windows of changes offered on the tab (the API takes any up to 30 days). */
const WINDOW_CHOICES = ['1h', '6h', '24h', '3d', '7d', '30d'];

/** `2026-03-14T02:05` (a `datetime-local` value, read as UTC) → ISO-8601, or undefined. */
export function utcInputToIso(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return undefined;
  const ms = Date.parse(`${value}:00.000Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/**
 * Incident time and changes window of the brief (IB §6: the brief is "as of" the incident): a
 * responder writing up an incident that started an hour ago asks for the brief at that time, so
 * "last change" and the ⚑ highlights are relative to it. Times are entered in UTC, as the brief
 * prints them; "Now" goes back to the live brief.
 */
export function IncidentTimeControls(props: {
  id: string;
  query: BriefQuery;
  onChange: (query: BriefQuery) => void;
}) {
  const { id, query, onChange } = props;
  const [draft, setDraft] = useState(query.at ? query.at.slice(0, 16) : '');
  const at = utcInputToIso(draft);
  const window = query.window ?? '24h';
  // Each button disables itself once pressed (there is nothing more to show), and a disabled
  // button drops keyboard focus to the page: focus moves on to the control that undoes it —
  // "Now" after a time was applied, the time field after going back to now.
  const nowRef = useRef<HTMLButtonElement | null>(null);
  const fieldRef = useRef<HTMLInputElement | null>(null);
  const focusNext = useRef<'now' | 'field' | undefined>(undefined);
  useEffect(() => {
    if (focusNext.current === 'now' && query.at) nowRef.current?.focus();
    if (focusNext.current === 'field' && !query.at) fieldRef.current?.focus();
    focusNext.current = undefined;
  }, [query.at]);
  return (
    <CardControls>
      <TextField
        id={`${id}-at`}
        label="Incident time (UTC)"
        type="datetime-local"
        size="small"
        value={draft}
        inputRef={fieldRef}
        onChange={e => setDraft(e.target.value)}
        InputLabelProps={{ shrink: true }}
        helperText={draft && !at ? 'Enter a date and time' : ' '}
        error={Boolean(draft) && !at}
      />
      <Button
        variant="outlined"
        size="small"
        disabled={!at || at === query.at}
        onClick={() => {
          focusNext.current = 'now';
          onChange({ ...query, at });
        }}
      >
        Show brief at this time
      </Button>
      <Button
        size="small"
        ref={nowRef}
        disabled={!query.at}
        onClick={() => {
          focusNext.current = 'field';
          setDraft('');
          onChange({ window: query.window });
        }}
      >
        Now
      </Button>
      <LabelledSelect
        variant="standard"
        minWidth={120}
        id={`${id}-window`}
        label="Changes window"
        value={window}
        options={
          WINDOW_CHOICES.includes(window)
            ? WINDOW_CHOICES
            : [window, ...WINDOW_CHOICES]
        }
        onChange={w => onChange({ ...query, window: w })}
      />
    </CardControls>
  );
}
