import type { StepRecord } from '../database/GoldenPathsStore';
import { LifecycleLedgerEntry, pendingFinalizers } from './lifecycleLedger';

const X = 'component:default/legacy-cart-api';
const ARCHIVE = `lifecycle:${X}:archive`;
const UNARCHIVE = `lifecycle:${X}:unarchive`;

const step = (
  requestKey: string,
  stepId: string,
  status: StepRecord['status'],
  startedAt: string,
  over: Partial<StepRecord> = {},
): StepRecord => ({
  requestKey,
  stepId,
  fingerprint: `sha256:${stepId}`,
  status,
  action: 'goldenpath:lifecycle',
  attempt: 1,
  startedAt,
  ...(status === 'claimed' ? {} : { finishedAt: startedAt }),
  ...over,
});

const entry = (
  requestKey: string,
  transition: string,
  status: string,
  steps: [string, StepRecord['status'], string][],
): LifecycleLedgerEntry => ({
  request: {
    requestKey,
    status: status as LifecycleLedgerEntry['request']['status'],
    request: { kind: 'lifecycle', entity: X, transition },
  },
  steps: steps.map(([id, s, at]) => step(requestKey, id, s, at)),
});

const own = { ownRepository: true };

describe('pendingFinalizers', () => {
  it('holds a finalizer step of the archive that is not done', () => {
    for (const s of ['failed', 'claimed', 'compensated'] as const) {
      expect(
        pendingFinalizers(
          [
            entry(ARCHIVE, 'archive', 'failed', [
              ['lifecycle', 'done', '2026-10-14T10:00:00Z'],
              ['lifecycle:repository', s, '2026-10-14T10:00:01Z'],
            ]),
          ],
          own,
        ),
      ).toEqual([
        `finalizer repository (request ${ARCHIVE}, step lifecycle:repository ${s})`,
      ]);
    }
    expect(
      pendingFinalizers(
        [
          entry(ARCHIVE, 'archive', 'succeeded', [
            ['lifecycle', 'done', '2026-10-14T10:00:00Z'],
            ['lifecycle:repository', 'done', '2026-10-14T10:00:01Z'],
          ]),
        ],
        own,
      ),
    ).toEqual([]);
  });

  it('holds a repository finalizer never claimed by an unfinished archive of an entity with its own repository', () => {
    const stopped = entry(ARCHIVE, 'archive', 'failed', [
      ['lifecycle', 'done', '2026-10-14T10:00:00Z'],
    ]);
    expect(pendingFinalizers([stopped], own)).toEqual([
      `finalizer repository (request ${ARCHIVE}, step lifecycle:repository never ran)`,
    ]);
    // a database Resource of the shared repository has no repository finalizer
    expect(pendingFinalizers([stopped], { ownRepository: false })).toEqual([]);
    // a succeeded run ran every finalizer that applied then
    expect(
      pendingFinalizers(
        [{ ...stopped, request: { ...stopped.request, status: 'succeeded' } }],
        own,
      ),
    ).toEqual([]);
  });

  it('reads only the archive that holds the entity: the latest whose descriptor change is done', () => {
    const undone = entry('archive-1', 'archive', 'failed', [
      ['lifecycle', 'compensated', '2026-09-01T10:00:00Z'],
      ['lifecycle:repository', 'failed', '2026-09-01T10:00:01Z'],
    ]);
    const earlier = entry('archive-2', 'archive', 'failed', [
      ['lifecycle', 'done', '2026-09-10T10:00:00Z'],
      ['lifecycle:repository', 'failed', '2026-09-10T10:00:01Z'],
    ]);
    const refused = entry('archive-4', 'archive', 'failed', [
      ['lifecycle', 'failed', '2026-10-20T10:00:00Z'],
    ]);
    const latest = entry('archive-3', 'archive', 'succeeded', [
      ['lifecycle', 'done', '2026-10-14T10:00:00Z'],
      ['lifecycle:repository', 'done', '2026-10-14T10:00:01Z'],
    ]);
    expect(pendingFinalizers([undone, earlier, latest, refused], own)).toEqual(
      [],
    );
    expect(pendingFinalizers([undone, latest, earlier], own)).toEqual([]);
    expect(pendingFinalizers([undone], own)).toEqual([]);
    expect(pendingFinalizers([], own)).toEqual([]);
  });

  it('holds the finalizers of an archive whose descriptor change is claimed or failed while the catalog shows the entity archived', () => {
    const archived = { ...own, archived: true };
    for (const s of ['claimed', 'failed'] as const) {
      // the task died after the commit landed (claimed), or the step was recorded failed
      const crashed = entry(ARCHIVE, 'archive', 'failed', [
        ['lifecycle', s, '2026-10-14T10:00:00Z'],
      ]);
      expect(pendingFinalizers([crashed], archived)).toEqual([
        `finalizer repository (request ${ARCHIVE}, step lifecycle:repository never ran)`,
      ]);
      // an entity the catalog does not show archived: that archive holds nothing
      expect(pendingFinalizers([crashed], own)).toEqual([]);
      // a finalizer that ran but failed is named with its state
      const partly = entry(ARCHIVE, 'archive', 'failed', [
        ['lifecycle', s, '2026-10-14T10:00:00Z'],
        ['lifecycle:repository', 'failed', '2026-10-14T10:00:01Z'],
      ]);
      expect(pendingFinalizers([partly], archived)).toEqual([
        `finalizer repository (request ${ARCHIVE}, step lifecycle:repository failed)`,
      ]);
    }
    // a later archive that ran every finalizer holds the entity; a compensated one never does
    const done = entry('archive-2', 'archive', 'succeeded', [
      ['lifecycle', 'done', '2026-10-20T10:00:00Z'],
      ['lifecycle:repository', 'done', '2026-10-20T10:00:01Z'],
    ]);
    const crashed = entry(ARCHIVE, 'archive', 'failed', [
      ['lifecycle', 'claimed', '2026-10-14T10:00:00Z'],
    ]);
    expect(pendingFinalizers([crashed, done], archived)).toEqual([]);
    const undone = entry(ARCHIVE, 'archive', 'failed', [
      ['lifecycle', 'compensated', '2026-10-14T10:00:00Z'],
    ]);
    expect(pendingFinalizers([undone], archived)).toEqual([]);
    // a database Resource of the shared repository has no repository finalizer
    expect(
      pendingFinalizers([crashed], { ownRepository: false, archived: true }),
    ).toEqual([]);
  });

  it('holds a finalizer a later unarchive reversed while the entity stayed archived', () => {
    const archive = entry(ARCHIVE, 'archive', 'succeeded', [
      ['lifecycle', 'done', '2026-10-14T10:00:00Z'],
      ['lifecycle:repository', 'done', '2026-10-14T10:00:01Z'],
    ]);
    // the repository was made writable, then the descriptor change failed
    const unarchive = entry(UNARCHIVE, 'unarchive', 'failed', [
      ['lifecycle:repository', 'done', '2026-11-02T10:00:00Z'],
      ['lifecycle', 'failed', '2026-11-02T10:00:01Z'],
    ]);
    expect(pendingFinalizers([archive, unarchive], own)).toEqual([
      `finalizer repository (request ${ARCHIVE}; undone by request ${UNARCHIVE}, step lifecycle:repository done)`,
    ]);
    // an unarchive before this archive, or one whose reversal failed, holds nothing
    const before = entry('unarchive-0', 'unarchive', 'succeeded', [
      ['lifecycle:repository', 'done', '2026-10-01T10:00:00Z'],
      ['lifecycle', 'done', '2026-10-01T10:00:01Z'],
    ]);
    const failed = entry('unarchive-2', 'unarchive', 'failed', [
      ['lifecycle:repository', 'failed', '2026-11-03T10:00:00Z'],
    ]);
    expect(pendingFinalizers([before, archive, failed], own)).toEqual([]);
  });

  it('reads the goldenpath:lifecycle steps, and rows older than the recorded action', () => {
    const archive: LifecycleLedgerEntry = {
      request: {
        requestKey: ARCHIVE,
        status: 'failed',
        request: { kind: 'lifecycle', entity: X, transition: 'archive' },
      },
      steps: [
        step(ARCHIVE, 'open', 'done', '2026-10-14T09:59:00Z', {
          action: 'goldenpath:ledger:open',
        }),
        step(ARCHIVE, 'lifecycle', 'done', '2026-10-14T10:00:00Z', {
          action: undefined,
          output: { from: 'deprecated', to: 'archived' },
        }),
        step(
          ARCHIVE,
          'lifecycle:repository',
          'failed',
          '2026-10-14T10:00:01Z',
          {
            action: undefined,
          },
        ),
        step(ARCHIVE, 'notify:repository', 'failed', '2026-10-14T10:00:02Z', {
          action: 'debug:log',
        }),
      ],
    };
    expect(pendingFinalizers([archive], own)).toEqual([
      `finalizer repository (request ${ARCHIVE}, step lifecycle:repository failed)`,
    ]);
  });
});
