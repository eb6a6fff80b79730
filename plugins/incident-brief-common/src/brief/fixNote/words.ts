import { ChangeKind } from '../../changes/types';
import { refKind } from '../../refs/entityRefs';
import { escapeMarkdown } from '../renderBriefMarkdown';

/** What an entity the caller may not read is listed as (IB §6.5): counted, never named. */
export const RESTRICTED = 'restricted';

/** True for a ref or an item the brief marks as restricted. */
export function isRestricted(
  refOrItem: string | null | { ref?: string; restricted?: boolean },
): boolean {
  if (refOrItem === null) return false;
  if (typeof refOrItem === 'string') return refOrItem === RESTRICTED;
  return refOrItem.restricted === true || refOrItem.ref === RESTRICTED;
}

/** Data text for one line of the note: markdown punctuation escaped, newlines collapsed (`markdownText.ts`). */
export const text = escapeMarkdown;

const KIND_NOUNS: Record<ChangeKind, [string, string]> = {
  deploy: ['deploy', 'deploys'],
  config: ['config', 'configs'],
  'feature-flag': ['flag', 'flags'],
  'schema-migration': ['migration', 'migrations'],
  infra: ['infra apply', 'infra applies'],
};
const KIND_ORDER: ChangeKind[] = [
  'deploy',
  'config',
  'feature-flag',
  'schema-migration',
  'infra',
];

/** The noun of a change kind, singular or plural: `flag`, `deploys`. */
export function kindNoun(kind: ChangeKind, count = 1): string {
  return KIND_NOUNS[kind][count === 1 ? 0 : 1];
}

/** `A`, `A and B`, `A, B and C`. */
export function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** Kinds of a list of changes as nouns in a fixed order: `['deploys', 'config']`. */
export function kindNouns(kinds: ChangeKind[]): string[] {
  return KIND_ORDER.filter(k => kinds.includes(k)).map(k =>
    kindNoun(k, kinds.filter(x => x === k).length),
  );
}

/** Kinds of a list of changes as one phrase: `deploys and config`. */
export function kindsText(kinds: ChangeKind[]): string {
  return joinAnd(kindNouns(kinds));
}

const ROOT_NOUN: Record<string, string> = {
  component: 'service',
  resource: 'resource',
  system: 'system',
};

/** The noun of the brief's root: `service` for a Component. */
export function rootNoun(ref: string): string {
  return ROOT_NOUN[refKind(ref) ?? ''] ?? 'entity';
}

/** `a tier-1 customer-facing service`, `a tier-3 internal resource`, `a service of unknown tier`. */
export function describeRoot(header: {
  ref: string;
  tier: 1 | 2 | 3 | null;
  customerFacing: boolean | null;
}): string {
  const cf = { true: 'customer-facing ', false: 'internal ', null: '' }[
    String(header.customerFacing) as 'true' | 'false' | 'null'
  ];
  const noun = rootNoun(header.ref);
  const unknownCf =
    header.customerFacing === null ? ', customer-facing unknown' : '';
  return header.tier
    ? `a tier-${header.tier} ${cf}${noun}${unknownCf}`
    : `${cf ? `a ${cf}` : 'a '}${noun} of unknown tier${unknownCf}`;
}
