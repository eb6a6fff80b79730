import { ChangeInWindow } from '../../changes/selectChangesInWindow';
import { ChangeRisk } from '../../risk/types';
import { IncidentBrief } from '../types';

/**
 * A brief as the fix note reads it: the brief of {@link IncidentBrief}, possibly as one caller may
 * see it — entities the caller may not read listed as `restricted` and changes of such entities
 * omitted and counted in `changes.restricted` (IB §6.5).
 */
export type FixNoteBrief = IncidentBrief & {
  changes: IncidentBrief['changes'] & { restricted?: number };
};

/** A change in window of a brief, with its stored risk. */
export type BriefChange = ChangeInWindow & { risk: ChangeRisk | null };

/** Options of `renderFixNote`. */
export interface FixNoteOptions {
  /** the note's title; default the `<title>` placeholder */
  title?: string;
  /**
   * false when the change ledger could not be read: changes are unknown, not none, so the
   * changed-dependency owners keep their placeholder. Default true.
   */
  ledgerAvailable?: boolean;
}
