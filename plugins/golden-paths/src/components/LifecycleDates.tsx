import type { JSX } from 'react';
import Alert from '@material-ui/lab/Alert';
import Typography from '@material-ui/core/Typography';
import type { Entity } from '@backstage/catalog-model';
import { isIsoDate } from '@internal/plugin-golden-paths-common';

const P = 'ops.example.com/';
const DAY_MS = 86_400_000;
/** Seven days before `expiresOn` the reconciler starts flagging a database (§8 step 4). */
const NOTICE_DAYS = 7;

/** A real calendar day (`2026-02-31` is not one), as the instant it begins (00:00 UTC). */
function dayStart(value: unknown): number | undefined {
  return typeof value === 'string' && isIsoDate(value)
    ? Date.parse(`${value}T00:00:00Z`)
    : undefined;
}

const inDays = (days: number) => `in ${days} day${days === 1 ? '' : 's'}`;

/**
 * What a golden path wrote on the entity that a reader acts on: an archived worker's pause
 * (`ops.example.com/paused`, §7.3), and the dates: a database's `expires-on`
 * (§3.3; the reconciler flags it 7 days before and on the day, §8 step 4) and a deprecated
 * entity's sunset, `retire-by` (§7.1: archiving is allowed from then on). Nothing when the entity
 * carries neither, or a value that is no date.
 */
export function LifecycleDates(props: { entity: Entity; now?: Date }) {
  const annotations = props.entity.metadata.annotations ?? {};
  const now = (props.now ?? new Date()).getTime();
  const expiresOn = annotations[`${P}expires-on`];
  const expiresAt = dayStart(expiresOn);
  const retireBy = annotations[`${P}retire-by`];
  const retireAt = dayStart(retireBy);

  let expiry: JSX.Element | null = null;
  if (expiresAt !== undefined) {
    const days = Math.ceil((expiresAt - now) / DAY_MS);
    if (now >= expiresAt) {
      expiry = (
        <Alert severity="error" data-testid="lifecycle-expiry">
          Expired on {expiresOn}. Nothing is deleted automatically: archive,
          then delete it below when it is no longer needed.
        </Alert>
      );
    } else if (days <= NOTICE_DAYS) {
      expiry = (
        <Alert severity="warning" data-testid="lifecycle-expiry">
          Expires on {expiresOn} ({inDays(days)}).
        </Alert>
      );
    } else {
      expiry = (
        <Typography variant="body2" data-testid="lifecycle-expiry">
          Expires on {expiresOn} ({inDays(days)}).
        </Typography>
      );
    }
  }
  const sunset =
    retireAt === undefined ? null : (
      <Typography variant="body2" data-testid="lifecycle-sunset">
        Sunset on {retireBy}
        {now >= retireAt
          ? ': reached, it can be archived.'
          : ` (${inDays(Math.ceil((retireAt - now) / DAY_MS))}).`}
      </Typography>
    );
  // the schedules finalizer's mark on an archived worker (§7.3)
  const paused =
    annotations[`${P}paused`] === 'true' ? (
      <Typography variant="body2" data-testid="lifecycle-paused">
        Schedules paused: the deploy workflow keeps it scaled to zero until it
        is unarchived.
      </Typography>
    ) : null;
  if (!expiry && !sunset && !paused) return null;
  return (
    <>
      {expiry}
      {sunset}
      {paused}
    </>
  );
}
