/**
 * Node library of the incident brief, shared by `catalog-backend-module-incident-brief` and
 * `incident-brief-backend`.
 *
 * @packageDocumentation
 */
export { CatalogEntityCache, withLoadedEntities } from './CatalogEntityCache';
