import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createBriefServices } from '../brief/createBriefServices';
import { IncidentBriefOptions, readIncidentBriefOptions } from '../config';
import {
  ChangeRiskWriter,
  ChangeRiskWriterOptions,
} from '../risk/ChangeRiskWriter';
import {
  demoEntities,
  demoOnCallConfig,
  fakeEvidence,
} from '../__fixtures__/demoWorld';

/**
 * The brief and risk services wired as the plugin wires them (`createBriefServices`), over the
 * demo world's fake evidence and a mock catalog: the graph index, the brief service and the
 * change-risk writer.
 * `incidentBrief` is merged over the demo's on-call config; `writer` adds writer options
 * (grace, clock) computed from the read options.
 */
export function briefWorld(
  options: {
    entities?: Entity[];
    incidentBrief?: Record<string, unknown>;
    writer?: (
      read: IncidentBriefOptions,
    ) => Partial<Pick<ChangeRiskWriterOptions, 'healthGraceMs' | 'now'>>;
  } = {},
) {
  const evidence = fakeEvidence();
  const logger = mockServices.logger.mock();
  const config = new ConfigReader({
    incidentBrief: {
      ...demoOnCallConfig.incidentBrief,
      ...options.incidentBrief,
    },
  });
  const read = readIncidentBriefOptions(config);
  const catalog = catalogServiceMock({
    entities: options.entities ?? demoEntities(),
  });
  const auth = mockServices.auth();
  const { store, briefs } = createBriefServices({
    catalog,
    auth,
    evidence: evidence.service,
    logger,
    config,
    options: read,
  });
  const writer = new ChangeRiskWriter({
    evidence: evidence.service,
    briefs,
    catalogRefs: () => store.catalogRefs(),
    logger,
    sweepLookbackMs: read.risk.sweep.lookbackMs,
    ...options.writer?.(read),
  });
  return { evidence, logger, store, briefs, writer, options: read };
}
