import { CheckType } from '../checkType';
import { alertsCheckType } from './alertsCheck';
import { apiDefinitionsCheckType } from './apiDefinitionsCheck';
import { archivedActivityCheckType } from './archivedActivityCheck';
import { allOfCheckType, anyOfCheckType } from './combinatorChecks';
import { dependencyDriftCheckType } from './dependencyDriftCheck';
import { dependencyLifecycleCheckType } from './dependencyLifecycleCheck';
import { entityFieldCheckType } from './entityFieldCheck';
import { entityLinkCheckType } from './entityLinkCheck';
import { entityRefCheckType } from './entityRefCheck';
import { factCheckType } from './factCheck';
import { ledgerCheckType } from './ledgerCheck';
import { lifecyclePlanCheckType } from './lifecyclePlanCheck';
import { oncallRouteCheckType } from './oncallRouteCheck';
import { ownerGroupCheckType } from './ownerGroupCheck';
import { repoFileCheckType } from './repoFileCheck';
import { retirementCheckType } from './retirementCheck';
import { sloCheckType } from './sloCheck';
import { telemetryCheckType } from './telemetryCheck';

/** The built-in check types of scorecards §3. */
export const builtinCheckTypes: readonly CheckType<any, any>[] = [
  entityRefCheckType,
  entityFieldCheckType,
  ownerGroupCheckType,
  entityLinkCheckType,
  repoFileCheckType,
  factCheckType,
  oncallRouteCheckType,
  alertsCheckType,
  sloCheckType,
  telemetryCheckType,
  ledgerCheckType,
  dependencyDriftCheckType,
  dependencyLifecycleCheckType,
  apiDefinitionsCheckType,
  lifecyclePlanCheckType,
  retirementCheckType,
  archivedActivityCheckType,
  allOfCheckType,
  anyOfCheckType,
];

export {
  alertsCheckType,
  apiDefinitionsCheckType,
  archivedActivityCheckType,
  allOfCheckType,
  anyOfCheckType,
  dependencyDriftCheckType,
  dependencyLifecycleCheckType,
  entityFieldCheckType,
  entityLinkCheckType,
  entityRefCheckType,
  factCheckType,
  ledgerCheckType,
  lifecyclePlanCheckType,
  oncallRouteCheckType,
  ownerGroupCheckType,
  repoFileCheckType,
  retirementCheckType,
  sloCheckType,
  telemetryCheckType,
};
