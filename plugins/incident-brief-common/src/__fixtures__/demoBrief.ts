import { assembleBrief, BriefInput } from '../brief/assembleBrief';
import { IncidentBrief } from '../brief/types';
import { entityLookupOf } from '../ownership/resolveOwnership';
import { buildDemoIndex } from './buildDemoIndex';
import { T, at, demoEntities, demoLedger } from './demoCatalog';
import { demoOnCall } from './demoOnCall';

const healthy = () => ({
  fresh: true,
  burnRate1h: 0.4,
  budgetRemaining: 0.8,
  openIncidentOnEntity: false,
  openIncidentOnDependency: false,
  freezeActive: false,
});

/** Input of the demo brief of IB §6.3: checkout-service at T, generated 2 min later, all healthy. */
export const demoBriefInput = (): BriefInput => ({
  entityRef: 'component:default/checkout-service',
  index: buildDemoIndex(),
  lookup: entityLookupOf(demoEntities()),
  onCall: demoOnCall,
  ledger: demoLedger(),
  at: T,
  now: T,
  generatedAt: at(2),
  healthOf: healthy,
});

/** The demo brief of IB §6.3 (checkout-service at T). */
export const demoBrief = (): IncidentBrief => assembleBrief(demoBriefInput());
