import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { CompiledStandard } from '@internal/plugin-scorecards-common';
import { loadConfiguredStandard } from '@internal/plugin-scorecards-node';
import { CatalogSnapshot } from '../evaluation/CatalogSnapshot';
import { recordingEvidence, recordingLogger } from './__testUtils__/linkServer';
import { linkTypesOfStandard } from './collectLinkTargets';
import { scheduleLinkCheck } from './scheduleLinkCheck';

function deps(linkCheck: object) {
  const config = new ConfigReader({ scorecards: { linkCheck } });
  const scheduleTask = jest.fn(async () => {});
  const logger = recordingLogger();
  return {
    scheduleTask,
    logger,
    options: {
      config,
      standard: loadConfiguredStandard(config),
      snapshot: {} as CatalogSnapshot,
      evidence: recordingEvidence(),
      scheduler: { ...mockServices.scheduler.mock(), scheduleTask },
      logger,
    },
  };
}

describe('scheduleLinkCheck', () => {
  it('schedules one global task at the configured interval', async () => {
    const d = deps({
      allowedHosts: ['runbooks.example.com'],
      interval: { hours: 12 },
    });
    const checker = await scheduleLinkCheck(d.options);
    expect(checker.enabled).toBe(true);
    expect(d.scheduleTask).toHaveBeenCalledTimes(1);
    expect(d.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'scorecards-link-check',
        scope: 'global',
        frequency: { hours: 12 },
        timeout: { hours: 1 },
      }),
    );
  });

  it('defaults to daily', async () => {
    const d = deps({ allowedHosts: ['runbooks.example.com'] });
    await scheduleLinkCheck(d.options);
    expect(d.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({ frequency: { hours: 24 } }),
    );
  });

  it('schedules nothing without allowed hosts and logs that once', async () => {
    const d = deps({ allowedHosts: [] });
    const checker = await scheduleLinkCheck(d.options);
    expect(checker.enabled).toBe(false);
    expect(d.scheduleTask).not.toHaveBeenCalled();
    expect(
      d.logger.lines.filter(l => l.includes('allowedHosts is empty')),
    ).toHaveLength(1);
  });

  it('stops startup on an invalid allow list, naming the key', async () => {
    await expect(
      scheduleLinkCheck(
        deps({ allowedHosts: ['https://x.example.com'] }).options,
      ),
    ).rejects.toThrow('scorecards.linkCheck.allowedHosts[0]');
  });
});

describe('linkTypesOfStandard', () => {
  it('adds the link types of entity-link checks nested in combinators', () => {
    const standard = {
      checks: [
        {
          definition: {
            type: 'all-of',
            params: {
              of: [
                { type: 'entity-field', params: { path: 'x' } },
                {
                  type: 'any-of',
                  params: {
                    of: [
                      {
                        type: 'entity-link',
                        params: { linkTypes: ['docs', 'runbook'] },
                      },
                    ],
                  },
                },
              ],
            },
          },
        },
        {
          definition: {
            type: 'entity-link',
            params: { linkTypes: ['status-page'] },
          },
        },
      ],
    } as unknown as CompiledStandard;
    expect(linkTypesOfStandard(standard)).toEqual([
      'dashboard',
      'docs',
      'runbook',
      'status-page',
    ]);
  });
});
