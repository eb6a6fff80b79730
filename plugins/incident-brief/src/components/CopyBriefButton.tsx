import { useEffect, useRef, useState } from 'react';
import { Box, Button, Snackbar, TextField } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import FileCopyIcon from '@material-ui/icons/FileCopy';
import { useApi } from '@backstage/frontend-plugin-api';
import { BriefQuery, incidentBriefApiRef } from '../api';
import { readFailureText, statusOf } from './ReadErrorPanel';

/** Confirmation shown once the markdown is on the clipboard. */
export const COPIED_TEXT = 'Brief copied to the clipboard as markdown.';

type CopyState =
  | { status: 'idle' | 'busy' }
  | { status: 'copied' }
  | { status: 'fallback'; markdown: string }
  | { status: 'error'; error: Error };

/**
 * Why the markdown could not be loaded and what the responder can still do: the brief it copies
 * is on the page (only its markdown did not come), and pressing the button again helps only when
 * the backend was unreachable or failed, not when it refused the request.
 */
function markdownFailureText(error: Error): string {
  const status = statusOf(error);
  const retry =
    status === undefined || status >= 500
      ? ', or press "Copy as markdown" again in a moment'
      : '';
  return (
    `Could not load the brief as markdown. ${readFailureText(error)} ` +
    `The brief is still shown on this page: select its text to copy it as plain text${retry}.`
  );
}

/**
 * "Copy as markdown" (IB §6.3): fetches `brief.md` — the same text the API serves — and writes it
 * to the clipboard. Where the browser refuses, the text is shown selected in a textarea instead;
 * where the markdown cannot be loaded, the error says why and that the brief is on the page to read.
 */
export function CopyBriefButton(props: {
  entityRef: string;
  query?: BriefQuery;
}) {
  const api = useApi(incidentBriefApiRef);
  const [state, setState] = useState<CopyState>({ status: 'idle' });
  const fallbackRef = useRef<HTMLTextAreaElement | null>(null);

  useEffect(() => {
    if (state.status === 'fallback') {
      fallbackRef.current?.focus();
      fallbackRef.current?.select();
    }
  }, [state]);

  async function copy() {
    // Not disabled while busy: a disabled button drops keyboard focus to the page, so a second
    // press is ignored instead.
    if (state.status === 'busy') return;
    setState({ status: 'busy' });
    let markdown: string;
    try {
      markdown = await api.getBriefMarkdown(props.entityRef, props.query);
    } catch (error) {
      setState({ status: 'error', error: error as Error });
      return;
    }
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(markdown);
      setState({ status: 'copied' });
    } catch {
      setState({ status: 'fallback', markdown });
    }
  }

  return (
    <Box>
      <Button
        variant="contained"
        color="primary"
        startIcon={<FileCopyIcon />}
        onClick={copy}
        aria-busy={state.status === 'busy'}
      >
        Copy as markdown
      </Button>
      {state.status === 'error' && (
        <Box mt={1}>
          <Alert severity="error">{markdownFailureText(state.error)}</Alert>
        </Box>
      )}
      {state.status === 'fallback' && (
        <Box mt={1}>
          <Alert severity="info">
            The browser did not allow writing to the clipboard. The brief is
            selected below: press Ctrl+C (⌘C on a Mac) to copy it.
          </Alert>
          <TextField
            id="incident-brief-markdown"
            inputRef={fallbackRef}
            label="Brief as markdown"
            value={state.markdown}
            multiline
            fullWidth
            minRows={8}
            maxRows={20}
            variant="outlined"
            InputProps={{ readOnly: true }}
            style={{ marginTop: 8 }}
          />
        </Box>
      )}
      <Snackbar
        open={state.status === 'copied'}
        autoHideDuration={6000}
        onClose={() => setState({ status: 'idle' })}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'center' }}
      >
        <Alert severity="success" role="status">
          {COPIED_TEXT}
        </Alert>
      </Snackbar>
    </Box>
  );
}
