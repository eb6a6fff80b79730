import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  type Entity,
} from '@backstage/catalog-model';

// The catalog's own entity checks, so a descriptor the catalog would refuse fails here, before
// anything is published, instead of as GP-V04 after the repository exists.
const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

/** Throws the catalog model's message when the entity is not valid. */
export async function assertValidEntity(entity: Entity): Promise<void> {
  await policy.enforce(structuredClone(entity));
}
