import {
  SCORED_KINDS,
  isScoredKind,
  type LevelId,
} from '@internal/plugin-scorecards-common';
import type { NewCampaignBody } from '../../api';

/** What the "New campaign" form holds, as typed. */
export interface CampaignForm {
  title: string;
  id: string;
  owner: string;
  brief: string;
  level: LevelId;
  /** Comma-separated kinds; empty = every scored kind. */
  kinds: string;
  /** Tiers in scope; none = every tier. */
  tiers: (1 | 2 | 3)[];
  /** `YYYY-MM-DD` (00:00 UTC that day). */
  startsOn: string;
  dueOn: string;
}

export type CampaignFormErrors = Partial<Record<keyof CampaignForm, string>>;

export const GOAL_LEVELS: readonly LevelId[] = ['L0', 'L1', 'L2', 'L3'];

/** The form for a new campaign: goal L2 for Components, starting today. */
export function emptyCampaignForm(nowMs: number): CampaignForm {
  return {
    title: '',
    id: '',
    owner: '',
    brief: '',
    level: 'L2',
    kinds: 'Component',
    tiers: [],
    startsOn: new Date(nowMs).toISOString().slice(0, 10),
    dueOn: '',
  };
}

// The backend's rules (scorecards-backend `campaignBody`), checked here first so the form can
// point at the field; the backend's 400 message is still shown for anything it refuses.
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const FULL_REF = /^[a-z0-9_-]+:[^/\s]+\/[^/\s]+$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dayMs(day: string): number {
  return DATE.test(day) ? Date.parse(`${day}T00:00:00Z`) : Number.NaN;
}

/**
 * Field errors of the form; empty when it can be sent. `nowMs`: a due date not after it is
 * refused, as the backend refuses a new campaign already past its deadline.
 */
export function validateCampaignForm(
  form: CampaignForm,
  nowMs: number,
): CampaignFormErrors {
  const errors: CampaignFormErrors = {};
  if (!form.title.trim()) errors.title = 'A title is required.';
  else if (form.title.trim().length > 200)
    errors.title = 'At most 200 characters.';
  const unscored = kindsOf(form).filter(k => !isScoredKind(k));
  if (unscored.length > 0)
    errors.kinds = `${unscored.join(', ')} ${
      unscored.length === 1 ? 'is' : 'are'
    } not scored; use ${SCORED_KINDS.join(', ')}.`;
  const id = form.id.trim();
  if (id && !ID.test(id))
    errors.id =
      'Lower-case letters, digits and dashes, starting with a letter or digit, at most 63 characters.';
  const owner = form.owner.trim();
  if (!owner)
    errors.owner = 'An owner is required, e.g. group:default/platform-team.';
  else if (!FULL_REF.test(owner))
    errors.owner = `Write the owner as a full entity ref kind:namespace/name (got "${owner}").`;
  const starts = dayMs(form.startsOn);
  const due = dayMs(form.dueOn);
  if (Number.isNaN(starts)) errors.startsOn = 'A start date is required.';
  if (Number.isNaN(due)) errors.dueOn = 'A due date is required.';
  else if (!Number.isNaN(starts) && due <= starts)
    errors.dueOn = 'The due date must be after the start date.';
  // The day's 00:00 UTC is what is sent: today is already past it.
  else if (due <= nowMs)
    errors.dueOn =
      'The due date must be after today: a campaign would be overdue from its start.';
  return errors;
}

/** The request body of a valid form. */
export function campaignBodyOf(form: CampaignForm): NewCampaignBody {
  const kinds = kindsOf(form);
  const id = form.id.trim();
  const brief = form.brief.trim();
  return {
    ...(id ? { id } : {}),
    title: form.title.trim(),
    owner: form.owner.trim(),
    ...(brief ? { brief } : {}),
    selector: {
      ...(kinds.length > 0 ? { kinds } : {}),
      ...(form.tiers.length > 0
        ? { tiers: [...form.tiers].sort((a, b) => a - b) }
        : {}),
    },
    goal: { level: form.level },
    startsAt: `${form.startsOn}T00:00:00.000Z`,
    dueAt: `${form.dueOn}T00:00:00.000Z`,
  };
}

/** The kinds the form names, trimmed, empty entries dropped. */
function kindsOf(form: CampaignForm): string[] {
  return form.kinds
    .split(',')
    .map(k => k.trim())
    .filter(Boolean);
}
