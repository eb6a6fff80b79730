import { builtinCheckTypes } from './builtin';
import { CheckType } from './checkType';
import {
  CheckTypeRegistry,
  createCheckTypeRegistry,
} from './checkTypeRegistry';

/** A registry with the built-in types plus extension types; an id registered twice throws. */
export function createDefaultCheckTypeRegistry(
  extensionTypes: readonly CheckType<any, any>[] = [],
): CheckTypeRegistry {
  return createCheckTypeRegistry([...builtinCheckTypes, ...extensionTypes]);
}
