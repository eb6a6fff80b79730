import type { GpRuleId } from './catalogue';

// What each recorded error code means, in a requester's words: the §5/§6/§7 table's condition,
// not its message. The message is parameterised with request values and is not stored with the
// request (records carry rule ids, never request values — GP-X01); it is in the task's log. This
// phrase is what a request page can say beside the bare code without it.

/** One phrase per rule of `GP_RULE_ORDER`: the type makes a rule added without one a compile error. */
const RULE_MEANINGS: Record<GpRuleId, string> = {
  'GP-K01': 'the template is switched off by the platform team',
  'GP-K02':
    "one of the template's actions is switched off by the platform team",
  'GP-K03': 'all golden paths are switched off by the platform team',
  'GP-X01': 'a field looks like it contains a secret',
  'GP-X02': 'the template collects a parameter that looks like a secret',
  'GP-X03': 'a field contains a long random-looking string (warning)',
  'GP-V01': 'a field has a value the form does not accept',
  'GP-V02': 'the request has a field this kind of request does not take',
  'GP-V03': 'the template ships its own catalog-info.yaml',
  'GP-V04': "the catalog refused the new entity's descriptor",
  'GP-I01': 'the request key is not valid',
  'GP-I02': 'the request key was already used for a different request',
  'GP-I03': 'the request is already running in another task',
  'GP-I04': 'the template changed version since the request started',
  'GP-I05': 'a step already ran with different input',
  'GP-N01': 'the name is not allowed (lowercase letters, digits and hyphens)',
  'GP-N02': 'the name is reserved',
  'GP-N03': 'the name is already used in the catalog',
  'GP-N04': 'the repository already exists and was not created by this request',
  'GP-O01': 'the owner is a person, not a team',
  'GP-O02': 'the owning team does not exist in the catalog',
  'GP-O03': 'the requester is not a member of the owning team',
  'GP-O04': 'the owning team has no members in the catalog (warning)',
  'GP-S01': 'the system does not exist in the catalog',
  'GP-S02': 'the system is deprecated or archived',
  'GP-T01': 'a tier 1 service or worker needs an on-call rotation',
  'GP-T02': 'a tier 1 service or worker needs a runbook',
  'GP-T03': 'no on-call rotation or runbook is set (warning)',
  'GP-T04': 'the runbook link is not an https:// URL',
  'GP-T05': 'the on-call rotation is not in a recognised format',
  'GP-W01': 'the schedule is not a valid cron expression',
  'GP-W02': 'the schedule runs more often than every 5 minutes',
  'GP-W03': 'the queue is not a queue resource in the catalog',
  'GP-D01': "the database's component does not exist in the catalog",
  'GP-D02': "the database's component is deprecated or archived",
  'GP-D03': 'the database tier is not offered for the environment',
  'GP-D04': 'the database size is not offered for the tier',
  'GP-D05': "the storage is outside the tier's range",
  'GP-D06': "estimated monthly cost is above the tier's limit",
  'GP-D07': 'a development database needs an expiry date at most 90 days ahead',
  'GP-D08': 'the PostgreSQL version is not offered',
  'GP-D09': 'databases are never reachable from the internet',
  'GP-D10':
    "estimated monthly cost is above the tier's approval threshold (an extra approval is needed)",
  'GP-D11': 'read replicas are offered only on production tiers',
  'GP-R01': 'the region is not offered',
  'GP-R02': 'the region is forbidden',
  'GP-R03': "the data's classification does not allow the region",
  'GP-U01':
    'a check could not be made: the catalog or a provider did not answer in time',
  'GP-U02': 'the cost cannot be estimated: a price-book entry is missing',
  'GP-P01': 'the database plan would store data unencrypted (platform defect)',
  'GP-P02':
    "the database plan keeps backups for less than the tier's minimum (platform defect)",
  'GP-P03': 'the database plan has deletion protection off (platform defect)',
  'GP-P04': 'the database plan would be publicly accessible (platform defect)',
  'GP-P05': 'the database plan lacks required tags (platform defect)',
  'GP-P06':
    'the database plan would destroy or replace existing resources (platform defect)',
  'GP-P07': 'the database plan expired before it was applied',
  'GP-P08': 'the database already exists and was not created by this request',
  'GP-E01':
    'the push to the repository was rejected twice; running again with the same key resumes',
  'GP-E02':
    'the entity did not appear in the catalog in time; running again with the same key resumes',
  'GP-A01': 'an approval is needed before anything is created',
  'GP-A02': 'the approval was rejected',
  'GP-A03': 'the plan changed after it was approved; a new approval is needed',
  'GP-A04': 'the requester cannot approve their own request',
  'GP-A05': 'the approval expired',
  'GP-A06': 'nobody other than the requester can approve it',
  'GP-L01': "the transition is not allowed from the entity's lifecycle state",
  'GP-L02': "the entity's scorecard level is too low for promotion",
  'GP-L03': "a scorecard check's evidence is not current",
  'GP-L04': 'no successful staging deploy in the last 30 days',
  'GP-L05':
    'deprecation needs a replacement and a sunset date 30–365 days ahead',
  'GP-L06':
    'other entities still depend on the entity, so it cannot be archived',
  'GP-L07':
    'the entity received traffic in the last 14 days, so it cannot be archived',
  'GP-L08':
    'no telemetry covers the entity, so it cannot be shown to have no traffic',
  'GP-L09':
    'other entities still depend on the entity, so it cannot be deleted',
  'GP-L10':
    'the entity has been archived for less than 30 days, so it cannot be deleted yet',
  'GP-L11': 'the entity still holds resources or pending finalizers',
  'GP-L12': 'the entity was not created by a golden path',
  'GP-L13':
    'the entity has not reached its sunset date; archiving earlier needs an exception',
};

/**
 * Codes the scaffolder module and the backend record besides the table's: two rules of theirs
 * (README of scaffolder-backend-module-golden-paths) and the lease expiry the backend marks
 * (§4.9 ledger:close: "the backend marks it on lease expiry").
 */
const OTHER_MEANINGS: Record<string, string> = {
  'GP-O05': 'the task was started without a signed-in user',
  'GP-U03':
    'this installation cannot publish this kind of request (platform setting)',
  'lease-expired':
    'the task running the request stopped before it finished, and its lease expired',
};

const meanings = new Map<string, string>([
  ...Object.entries(RULE_MEANINGS),
  ...Object.entries(OTHER_MEANINGS),
]);

/**
 * What a recorded error code (`lastErrorCode`, an audit record's `errorCode`) means, as a short
 * lower-case phrase a requester understands (`GP-D06` → "estimated monthly cost is above the
 * tier's limit"); undefined for a code it does not know, which is then shown alone.
 *
 * @public
 */
export function errorCodeMeaning(code: string): string | undefined {
  return meanings.get(code);
}
