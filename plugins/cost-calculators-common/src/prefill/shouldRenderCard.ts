import type { CardDefinition } from '../cards';
import { EntityLike, opsAnnotation, resolveEnvironment } from './entityFacts';
import { hasFailoverFacts } from './failoverServices';

/** Whether a card renders for an entity (§1 trigger table); absent triggers mean no card, never an empty box. */
export function shouldRenderCard(
  card: CardDefinition,
  entity: EntityLike,
): boolean {
  if (entity.kind !== card.kind) return false;
  const a = entity.metadata.annotations;
  const specType =
    typeof entity.spec?.type === 'string' ? entity.spec.type : undefined;
  const typeMatches =
    card.specTypes.length === 0 ||
    (specType !== undefined && card.specTypes.includes(specType));
  switch (card.id) {
    case 'bigquery':
      return typeMatches || opsAnnotation(a, 'service') === 'bigquery';
    case 'licensing':
      return (
        typeMatches &&
        /^(oracle|sqlserver)-/.test(opsAnnotation(a, 'engine') ?? '')
      );
    case 'schedule': {
      const env = resolveEnvironment(entity);
      return (
        env !== 'prod' &&
        env !== 'unknown' &&
        (!!opsAnnotation(a, 'monthly-spend') ||
          !!opsAnnotation(a, 'price-book-sku'))
      );
    }
    case 'failover':
      // Only services with documented figures: rds-multi-az would open on an
      // error asking for the failover time the card cannot know.
      return (
        typeMatches &&
        (hasFailoverFacts(opsAnnotation(a, 'service')) ||
          !!opsAnnotation(a, 'rto-seconds'))
      );
    default:
      return (
        typeMatches &&
        card.triggerAnnotations.every(
          key => opsAnnotation(a, key) !== undefined,
        )
      );
  }
}
