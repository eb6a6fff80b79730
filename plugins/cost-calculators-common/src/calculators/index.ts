import type { CalculatorId } from '../types';
import type { Calculator } from './defineCalculator';
import { bigqueryCapacity } from './bigqueryCapacity';
import { bigqueryQueryGuard } from './bigqueryQueryGuard';
import { cacheMemoryBudget } from './cacheMemoryBudget';
import { commitmentBreakEven } from './commitmentBreakEven';
import { connectionBudget } from './connectionBudget';
import { crossRegionReplica } from './crossRegionReplica';
import { dbLicensing } from './dbLicensing';
import { encryptionTier } from './encryptionTier';
import { failoverRto } from './failoverRto';
import { nonprodSchedule } from './nonprodSchedule';
import { ossMigrationPayback } from './ossMigrationPayback';
import { provisioningEstimate } from './provisioningEstimate';
import { riVsRightsize } from './riVsRightsize';
import { rightsizeP95 } from './rightsizeP95';
import { storageTiering } from './storageTiering';

/** Every calculator by id, in the note's order C1–C15. */
export const CALCULATORS: Record<CalculatorId, Calculator> = {
  'rightsize-p95': rightsizeP95,
  'ri-vs-rightsize': riVsRightsize,
  'commitment-break-even': commitmentBreakEven,
  'bigquery-capacity': bigqueryCapacity,
  'bigquery-query-guard': bigqueryQueryGuard,
  'db-licensing': dbLicensing,
  'oss-migration-payback': ossMigrationPayback,
  'nonprod-schedule': nonprodSchedule,
  'storage-tiering': storageTiering,
  'connection-budget': connectionBudget,
  'failover-rto': failoverRto,
  'encryption-tier': encryptionTier,
  'cross-region-replica': crossRegionReplica,
  'cache-memory-budget': cacheMemoryBudget,
  'provisioning-estimate': provisioningEstimate,
};
