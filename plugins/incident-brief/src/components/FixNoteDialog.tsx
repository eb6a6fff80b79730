import { useMemo, useRef, useState } from 'react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import FileCopyIcon from '@material-ui/icons/FileCopy';
import NoteAddIcon from '@material-ui/icons/NoteAdd';
import { renderFixNote } from '@internal/plugin-incident-brief-common';
import { BriefResponse } from '../api';

/** Confirmation shown once the note is on the clipboard. */
export const FIX_NOTE_COPIED_TEXT =
  'Fix note copied to the clipboard as markdown.';

const TITLE_ID = 'incident-brief-fix-note-title';
const HELP_ID = 'incident-brief-fix-note-help';

type CopyState = 'idle' | 'busy' | 'copied' | 'refused';

/** A fix-note draft held above the button, so it outlives the brief view (reloads remount it). */
export interface FixNoteDraft {
  value: string | null;
  set(value: string | null): void;
}

/**
 * "Start a fix note" (IB §6.4): a dialog with the post-incident note as editable markdown,
 * prefilled from the brief where it knows the answer (`renderFixNote`), and "Copy as markdown" for
 * the edited text. The draft survives closing the dialog until the page is left, so an accidental
 * Escape loses nothing. The brief is the one the caller may read: restricted entities stay unnamed.
 */
export function FixNoteButton(props: {
  brief: BriefResponse;
  /** Where the draft lives; default the button's own state (lost when the button unmounts). */
  draft?: FixNoteDraft;
}) {
  const { brief } = props;
  const [open, setOpen] = useState(false);
  const [ownDraft, setOwnDraft] = useState<string | null>(null);
  const draft = props.draft ? props.draft.value : ownDraft;
  const setDraft = props.draft ? props.draft.set : setOwnDraft;
  const [copy, setCopy] = useState<CopyState>('idle');
  const fieldRef = useRef<HTMLTextAreaElement | null>(null);
  const prefilled = useMemo(
    () =>
      renderFixNote(brief, {
        ledgerAvailable: brief.evidence.ledger.available,
      }),
    [brief],
  );
  const text = draft ?? prefilled;

  async function copyNote() {
    setCopy('busy');
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setCopy('copied');
    } catch {
      setCopy('refused');
      fieldRef.current?.focus();
      fieldRef.current?.select();
    }
  }

  return (
    <Box>
      <Button
        variant="outlined"
        color="primary"
        startIcon={<NoteAddIcon />}
        onClick={() => {
          setDraft(text);
          setCopy('idle');
          setOpen(true);
        }}
      >
        Start a fix note
      </Button>
      <Dialog
        open={open}
        onClose={() => setOpen(false)}
        aria-labelledby={TITLE_ID}
        aria-describedby={HELP_ID}
        fullWidth
        maxWidth="md"
      >
        <DialogTitle id={TITLE_ID}>Fix note</DialogTitle>
        <DialogContent>
          <DialogContentText id={HELP_ID}>
            Constraint, signal, boundary and operating rule of the fix. The
            brief prefilled what it knows; replace every{' '}
            <code>&lt;placeholder&gt;</code> — the operating rule is yours to
            write.
          </DialogContentText>
          <TextField
            id="incident-brief-fix-note"
            inputRef={fieldRef}
            label="Fix note (markdown)"
            value={text}
            onChange={event => {
              setDraft(event.target.value);
              if (copy !== 'busy') setCopy('idle');
            }}
            multiline
            fullWidth
            minRows={14}
            maxRows={28}
            variant="outlined"
          />
          {copy === 'refused' && (
            <Box mt={1}>
              <Alert severity="warning">
                The browser did not allow writing to the clipboard. The note is
                selected above: press Ctrl+C (⌘C on a Mac) to copy it.
              </Alert>
            </Box>
          )}
          {/* always mounted, so screen readers announce the confirmation when it appears */}
          <Box mt={1} role="status" aria-live="polite">
            {copy === 'copied' && (
              <Alert severity="success" role="none">
                {FIX_NOTE_COPIED_TEXT}
              </Alert>
            )}
          </Box>
        </DialogContent>
        <DialogActions>
          <Button
            color="primary"
            variant="contained"
            startIcon={<FileCopyIcon />}
            onClick={copyNote}
            disabled={copy === 'busy'}
          >
            Copy as markdown
          </Button>
          <Button onClick={() => setOpen(false)}>Close</Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
