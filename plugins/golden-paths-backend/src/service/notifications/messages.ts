import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { parseEntityRef } from '@backstage/catalog-model';
import type { Dependent } from '@internal/plugin-golden-paths-common';
import type { ApprovalRecord } from '../../database/GoldenPathsStore';
import type { DatabaseExpiry } from '../reconciler/databaseExpiry';

// What golden-path notifications say. Like the audit record (§4.5) they carry keys, ids, refs and
// dates — of request values only a deprecation's sunset date and replacement ref, never free text,
// which may hold what a secret scan let through.

/** The topic every golden-path notification is filed under (users filter and mute by it). */
export const GOLDEN_PATHS_TOPIC = 'golden-paths';

/**
 * §4.9 `goldenpath:approve`: "notify each route group through the notifications service (link to
 * the inbox)". The requester is left out: they may not decide their own request (§6.2 rule 3).
 * The scope makes a revived or re-sent approval update its notification instead of adding one.
 */
export function approvalNeeded(
  approval: ApprovalRecord,
): NotificationSendOptions {
  const triggers = approval.triggers.map(t => t.id).join(', ');
  return {
    recipients: {
      type: 'entity',
      entityRef: [...new Set(approval.routes.map(r => r.group))],
      excludeEntityRef: approval.requestedBy,
    },
    payload: {
      title: `Golden-path approval needed: ${approval.requestKey}`,
      description: `${
        approval.requestedBy
      } asks for an approval (${triggers}) of plan ${approval.planDigest.slice(
        0,
        19,
      )}. It expires at ${approval.expiresAt}; until then the request waits.`,
      link: '/golden-paths/approvals',
      severity: 'high',
      topic: GOLDEN_PATHS_TOPIC,
      scope: `golden-paths:approval:${approval.id}`,
    },
  };
}

/**
 * §8 step 4: "dev databases past `expiresOn` are flagged to the owner 7 days before and on expiry;
 * deletion still goes through §7". Sent to the database Resource, which the notifications backend
 * resolves to its owner's members; one scope per request, so the expiry notice replaces the
 * seven-day one.
 */
export function databaseExpiryNotice(
  expiry: DatabaseExpiry,
): NotificationSendOptions {
  const { name, namespace } = parseEntityRef(expiry.entityRef);
  const when =
    expiry.phase === 'expired'
      ? `expired on ${expiry.expiresOn}`
      : `expires on ${expiry.expiresOn} (in ${expiry.daysLeft} day${
          expiry.daysLeft === 1 ? '' : 's'
        })`;
  return {
    recipients: { type: 'entity', entityRef: expiry.entityRef },
    payload: {
      title: `Database ${name} ${when}`,
      description: `${expiry.entityRef} was requested (${expiry.requestKey}) to live until ${expiry.expiresOn}. Nothing is deleted automatically: archive and delete it through its Lifecycle card when it is no longer needed.`,
      link: `/catalog/${namespace}/resource/${name}`,
      severity: expiry.phase === 'expired' ? 'high' : 'normal',
      topic: GOLDEN_PATHS_TOPIC,
      scope: `golden-paths:database-expiry:${expiry.requestKey}`,
    },
  };
}

/**
 * §7.1 `deprecate`: "owners of every dependent (catalog graph, 1 hop) notified". Sent to the
 * dependents (the notifications backend resolves each to its owner's members); archived ones are
 * left out, as G-A1 leaves them out. The deprecation's reason is free text and stays out; the
 * sunset date and the replacement are what a dependent's owner acts on.
 */
export function deprecationNotice(
  deprecated: { entityRef: string; sunsetOn?: string; replacement?: string },
  dependents: readonly Dependent[],
): NotificationSendOptions | undefined {
  const refs = [
    ...new Set(
      dependents.filter(d => d.lifecycle !== 'archived').map(d => d.ref),
    ),
  ];
  if (refs.length === 0) return undefined;
  const { kind, namespace, name } = parseEntityRef(deprecated.entityRef);
  const replacement =
    deprecated.replacement && deprecated.replacement !== 'none'
      ? `Its replacement is ${deprecated.replacement}.`
      : 'It has no replacement.';
  return {
    recipients: { type: 'entity', entityRef: refs },
    payload: {
      title: `${deprecated.entityRef} is deprecated${
        deprecated.sunsetOn ? ` (sunset ${deprecated.sunsetOn})` : ''
      }`,
      description: `${refs.length} ${
        refs.length === 1 ? 'entity depends' : 'entities depend'
      } on it, one of yours among them. ${replacement} Move off it before the sunset date: it can be archived from then on.`,
      link: `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`,
      severity: 'normal',
      topic: GOLDEN_PATHS_TOPIC,
      scope: `golden-paths:deprecation:${deprecated.entityRef}`,
    },
  };
}
