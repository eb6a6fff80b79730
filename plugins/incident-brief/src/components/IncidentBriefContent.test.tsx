import { useState } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithEntity } from '../__testUtils__/renderWithEntity';
import {
  FakeIncidentBriefApi,
  SCRIPT_URL,
  T,
  blastRadius,
  captureClipboard,
  checkoutBrief,
  checkoutMarkdown,
  checkoutService,
  responseError,
  restrictedEntity,
  storefrontBehindRestricted,
} from '../__testUtils__/fixtures';
import { renderFixNote } from '@internal/plugin-incident-brief-common';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { EntityIncidentBriefContent } from './IncidentBriefContent';
import { COPIED_TEXT } from './CopyBriefButton';
import { FIX_NOTE_COPIED_TEXT } from './FixNoteDialog';

jest.setTimeout(30_000);

describe('EntityIncidentBriefContent', () => {
  it('shows confidence per section and the missing-evidence list', async () => {
    await renderWithEntity(<EntityIncidentBriefContent />);
    const confidence = await screen.findByRole('group', {
      name: 'Confidence per section',
    });
    expect(confidence).toHaveTextContent('overall: medium');
    expect(confidence).toHaveTextContent('owner: high');
    expect(confidence).toHaveTextContent('blast radius: medium');
    expect(confidence).toHaveTextContent('changes: medium');
    const missing = screen.getByRole('table', { name: 'Missing evidence' });
    const rows = within(missing).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toHaveTextContent('EDGE_UNDECLARED');
    expect(rows[1]).toHaveTextContent(
      'add dependsOn: component:default/pricing-service',
    );
    // the fix's backticked part is code on the page, not backticks
    expect(
      within(rows[1]).getByText(
        'dependsOn: component:default/pricing-service',
        {
          selector: 'code',
        },
      ),
    ).toBeInTheDocument();
    expect(rows[1]).not.toHaveTextContent('`');
    expect(rows[2]).toHaveTextContent('UNMAPPED_TELEMETRY');
    expect(screen.getByText(/Unmapped telemetry: tax-svc/)).toBeInTheDocument();
  });

  it('names the several subjects of a ledger item short, one after another', async () => {
    // the brief's JSON joins the refs of one LEDGER_NO_RECENT item by bare commas
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      missingEvidence: [
        {
          code: 'LEDGER_NO_RECENT',
          severity: 'info',
          subject:
            'component:default/order-service,resource:default/checkout-db,resource:default/inventory-db',
          message:
            'no changes recorded in 30 d for: order-service, resource:checkout-db, resource:inventory-db.',
          fix: null,
        },
      ],
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    const missing = await screen.findByRole('table', {
      name: 'Missing evidence',
    });
    const row = within(missing).getAllByRole('row')[1];
    expect(within(row).getAllByRole('cell')[2]).toHaveTextContent(
      /^order-service, resource:checkout-db, resource:inventory-db$/,
    );
  });

  it('shows the code spans of a message and its fix as code, whatever backticks the name holds', async () => {
    // the backend fences a telemetry name holding a backtick with a longer run (`codeSpan`)
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      missingEvidence: [
        {
          code: 'UNMAPPED_TELEMETRY',
          severity: 'warn',
          subject: 'component:default/checkout-service',
          message:
            'checkout-service calls ``tax`svc``; no entity has that alias.',
          fix: 'add ``ops.example.com/aliases: tax`svc`` to the owning entity.',
        },
      ],
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    const missing = await screen.findByRole('table', {
      name: 'Missing evidence',
    });
    const row = within(missing).getAllByRole('row')[1];
    expect(
      within(row).getByText('tax`svc', { selector: 'code' }),
    ).toBeInTheDocument();
    expect(
      within(row).getByText('ops.example.com/aliases: tax`svc', {
        selector: 'code',
      }),
    ).toBeInTheDocument();
    expect(row).toHaveTextContent(
      'checkout-service calls tax`svc; no entity has that alias.',
    );
    expect(row).not.toHaveTextContent('``');
  });

  it('asks for the brief and its markdown at a chosen incident time (UTC) and window, and back to now', async () => {
    const { api } = await renderWithEntity(<EntityIncidentBriefContent />);
    await screen.findByRole('group', { name: 'Confidence per section' });
    expect(api.calls[0]).toMatchObject({ method: 'getBrief', query: {} });
    const user = userEvent.setup();
    const show = screen.getByRole('button', {
      name: 'Show brief at this time',
    });
    expect(show).toBeDisabled();
    const input = screen.getByLabelText('Incident time (UTC)');
    await user.type(input, '2026-03-14T01:30');
    expect(show).toBeEnabled();
    await user.click(show);
    await waitFor(() =>
      expect(api.calls.at(-1)).toMatchObject({
        method: 'getBrief',
        query: { at: '2026-03-14T01:30:00.000Z' },
      }),
    );
    await screen.findByRole('group', { name: 'Confidence per section' });
    // the pressed button disables itself: keyboard focus moves on to "Now", not to the page
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Now' })).toHaveFocus(),
    );

    await user.click(screen.getByLabelText('Changes window'));
    await user.click(await screen.findByRole('option', { name: '7d' }));
    await waitFor(() =>
      expect(api.calls.at(-1)?.query).toEqual({
        at: '2026-03-14T01:30:00.000Z',
        window: '7d',
      }),
    );
    // the markdown copy is the brief the responder is looking at
    captureClipboard();
    await user.click(
      await screen.findByRole('button', { name: 'Copy as markdown' }),
    );
    await waitFor(() =>
      expect(
        api.calls.find(c => c.method === 'getBriefMarkdown')?.query,
      ).toEqual({ at: '2026-03-14T01:30:00.000Z', window: '7d' }),
    );

    await user.click(screen.getByRole('button', { name: 'Now' }));
    await waitFor(() =>
      expect(api.calls.at(-1)).toMatchObject({
        method: 'getBrief',
        query: { window: '7d' },
      }),
    );
    expect(api.calls.at(-1)?.query).not.toHaveProperty('at');
    // and "Now" to the time field
    await waitFor(() =>
      expect(screen.getByLabelText('Incident time (UTC)')).toHaveFocus(),
    );
  });

  it('shows the regions and data at risk, and how long ago observed edges were collected (R17)', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      header: { ...checkoutBrief.header, evaluatedAt: T },
      blastRadius: {
        ...checkoutBrief.blastRadius,
        counts: {
          ...checkoutBrief.blastRadius.counts,
          regions: { 'us-east-1': 2, 'eu-west-1': 2, 'ap-south-1': 1 },
          dataDomains: { session: 1, catalog: 1 },
        },
        // the evidence source has been silent for three hours before the brief was evaluated
        asOf: { catalog: T, observedEdges: '2026-03-13T23:05:00.000Z' },
      },
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    expect(await screen.findByTestId('regions-and-data')).toHaveTextContent(
      'Regions: eu-west-1 (2), us-east-1 (2), ap-south-1 (1) · Data: catalog, session',
    );
    expect(screen.getByTestId('observed-edges-age')).toHaveTextContent(
      'Observed edges last collected 3 h ago',
    );
  });

  it('says an empty blast radius without dependency evidence proves nothing, as the card does', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = { ...checkoutBrief, blastRadius: blastRadius() };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    const empty = await screen.findByTestId('empty-blast-radius');
    expect(empty).toHaveTextContent(
      'Nothing depends on checkout-service within 3 hops. No dependency evidence for this entity: an empty radius proves nothing here.',
    );
  });

  it('says plainly that nothing depends on the entity when the evidence covers it', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      blastRadius: blastRadius({ confidence: { ratio: 1, level: 'high' } }),
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    expect(await screen.findByTestId('empty-blast-radius')).toHaveTextContent(
      'Nothing depends on checkout-service within 3 hops. No declared or observed dependents were found.',
    );
  });

  it('says an empty dependency list without dependency evidence proves nothing', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      dependencies: blastRadius({ direction: 'dependencies', hops: 2 }),
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    expect(await screen.findByTestId('empty-dependencies')).toHaveTextContent(
      'checkout-service depends on nothing within 2 hops. No dependency evidence for this entity: an empty dependency list proves nothing here.',
    );
    expect(screen.queryByText('No dependencies found.')).toBeNull();
  });

  it('says plainly that the entity depends on nothing when the evidence covers it', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      dependencies: blastRadius({
        direction: 'dependencies',
        hops: 1,
        confidence: { ratio: 1, level: 'high' },
      }),
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    expect(await screen.findByTestId('empty-dependencies')).toHaveTextContent(
      'checkout-service depends on nothing within 1 hop. No declared or observed dependencies were found.',
    );
  });

  it('names one hop in the singular in the section titles and the empty-changes note', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      blastRadius: { ...checkoutBrief.blastRadius, hops: 1 },
      dependencies: { ...checkoutBrief.dependencies, hops: 1 },
      changes: { ...checkoutBrief.changes, dependencyHops: 1, items: [] },
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    expect(
      await screen.findByText('Blast radius (dependents, 1 hop)'),
    ).toBeInTheDocument();
    expect(screen.getByText('Depends on (1 hop)')).toBeInTheDocument();
    expect(
      screen.getByText(/^No changes\s+in the window/, { selector: 'p' }),
    ).toHaveTextContent(
      'No changes in the window (self and dependencies ≤ 1 hop).',
    );
    expect(document.body).not.toHaveTextContent(/\b1 hops\b/);
  });

  it('shows the incident time, generated time and changes window as dates a person reads, in UTC', async () => {
    await renderWithEntity(<EntityIncidentBriefContent />);
    await screen.findByRole('group', { name: 'Confidence per section' });
    // T is 2026-03-14T02:05:00.000Z; the fixture's brief was generated 2 min after it
    expect(
      screen.getByText(/^Incident time/, { selector: 'p' }),
    ).toHaveTextContent(
      'Incident time 2026-03-14 02:05 UTC · generated 2026-03-14 02:07 UTC',
    );
    expect(
      screen.getByText('Changes 2026-03-13 02:05 → 2026-03-14 02:05 UTC'),
    ).toBeInTheDocument();
    expect(document.body).not.toHaveTextContent(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  });

  it('copies the markdown the backend serves and confirms it', async () => {
    const { api } = await renderWithEntity(<EntityIncidentBriefContent />);
    const user = userEvent.setup(); // installs its own clipboard stub: replace it after
    const clipboard = captureClipboard();
    await user.click(
      await screen.findByRole('button', { name: 'Copy as markdown' }),
    );
    await waitFor(() => expect(clipboard.texts).toEqual([checkoutMarkdown]));
    expect(await screen.findByRole('status')).toHaveTextContent(COPIED_TEXT);
    // the brief on screen, at its incident time: a live brief copied later would be another
    expect(api.calls.find(c => c.method === 'getBriefMarkdown')).toMatchObject({
      entityRef: 'component:default/checkout-service',
      query: { at: '2026-03-14T02:05:00.000Z' },
    });
  });

  it('keeps keyboard focus on "Copy as markdown" while the markdown loads, and fetches it once for a second press', async () => {
    const api = new FakeIncidentBriefApi();
    let release!: () => void;
    const loaded = new Promise<void>(resolve => {
      release = resolve;
    });
    const markdown = api.getBriefMarkdown.bind(api);
    api.getBriefMarkdown = async (entityRef: string, query?: object) => {
      const answer = markdown(entityRef, query);
      await loaded;
      return answer;
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    const user = userEvent.setup();
    const clipboard = captureClipboard();
    const button = await screen.findByRole('button', {
      name: 'Copy as markdown',
    });
    button.focus();
    await user.keyboard('{Enter}');
    await user.keyboard('{Enter}');
    expect(button).toHaveFocus();
    expect(button).toHaveAttribute('aria-busy', 'true');
    release();
    await waitFor(() => expect(clipboard.texts).toEqual([checkoutMarkdown]));
    expect(api.calls.filter(c => c.method === 'getBriefMarkdown')).toHaveLength(
      1,
    );
    expect(button).toHaveFocus();
  });

  it('falls back to a selected textarea when the clipboard refuses', async () => {
    await renderWithEntity(<EntityIncidentBriefContent />);
    const user = userEvent.setup();
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: () => Promise.reject(new Error('denied')) },
    });
    await user.click(
      await screen.findByRole('button', { name: 'Copy as markdown' }),
    );
    const textarea = (await screen.findByLabelText(
      'Brief as markdown',
    )) as HTMLTextAreaElement;
    expect(textarea.value).toBe(checkoutMarkdown);
    expect(document.activeElement).toBe(textarea);
    expect(textarea.selectionEnd - textarea.selectionStart).toBe(
      checkoutMarkdown.length,
    );
  });

  describe('says what the responder can still do when the markdown cannot be loaded', () => {
    const onPage =
      'The brief is still shown on this page: select its text to copy it as plain text';
    it.each([
      [
        'unreachable: pressing again may help',
        async () => new Error('Failed to fetch'),
        `The incident-brief backend could not be reached (Failed to fetch). ${onPage}, or press "Copy as markdown" again in a moment.`,
      ],
      [
        'failed (500): pressing again may help',
        () => responseError(500, 'Internal Server Error', 'index not ready'),
        `The incident-brief backend failed (500: index not ready). ${onPage}, or press "Copy as markdown" again in a moment.`,
      ],
      [
        'refused (403): pressing again would not',
        () =>
          responseError(
            403,
            'Forbidden',
            'not allowed to read component:default/checkout-service',
          ),
        `You are not allowed to read this (403: not allowed to read component:default/checkout-service). ${onPage}.`,
      ],
    ])('backend %s', async (_case, failure, advice) => {
      const api = new FakeIncidentBriefApi();
      api.markdown = await failure();
      await renderWithEntity(<EntityIncidentBriefContent />, { api });
      const user = userEvent.setup();
      const clipboard = captureClipboard();
      await user.click(
        await screen.findByRole('button', { name: 'Copy as markdown' }),
      );
      expect(await screen.findByRole('alert')).toHaveTextContent(
        `Could not load the brief as markdown. ${advice}`,
      );
      // the brief it points to is there, and nothing half-copied went to the clipboard
      expect(
        screen.getByRole('group', { name: 'Confidence per section' }),
      ).toBeInTheDocument();
      expect(clipboard.texts).toEqual([]);
      expect(screen.queryByLabelText('Brief as markdown')).toBeNull();
    });
  });

  it('shows the error panel when the brief cannot be read', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = new Error(
      'not allowed to read component:default/checkout-service',
    );
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    expect(
      (await screen.findAllByText(/not allowed to read/)).length,
    ).toBeGreaterThan(0);
    expect(
      screen.queryByRole('button', { name: 'Copy as markdown' }),
    ).toBeNull();
  });

  it('says how long before the incident time T each change was', async () => {
    await renderWithEntity(<EntityIncidentBriefContent />);
    const timeline = await screen.findByRole('list', {
      name: 'Changes in window',
    });
    const items = within(timeline).getAllByTestId('change-item');
    // the demo's flag flip was 25 min before T, whenever the brief is read
    expect(items[0]).toHaveTextContent('25 min before T');
    expect(items[1]).toHaveTextContent('50 min before T');
    expect(screen.getByTestId('last-change')).toHaveTextContent(
      'checkout.split-tender release 0 → 100 % · 25 min before T',
    );
    expect(timeline).not.toHaveTextContent(/ ago/);
  });

  it('lists entities the caller may not read as restricted in the blast radius and dependencies', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      blastRadius: {
        ...checkoutBrief.blastRadius,
        impacted: [
          checkoutBrief.blastRadius.impacted[0],
          restrictedEntity(1),
          restrictedEntity(2),
          storefrontBehindRestricted,
        ],
      },
      dependencies: {
        ...checkoutBrief.dependencies,
        impacted: [...checkoutBrief.dependencies.impacted, restrictedEntity(1)],
      },
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    await screen.findByRole('group', { name: 'Confidence per section' });
    const radius = screen.getByRole('list', { name: 'Impacted entities' });
    const dependencies = screen.getByRole('list', { name: 'Dependencies' });
    const radiusItems = within(radius).getAllByRole('listitem');
    expect(radiusItems).toHaveLength(4);
    expect(radiusItems[1]).toHaveTextContent(
      'restricted (you may not read this entity)',
    );
    expect(within(radiusItems[1]).queryAllByRole('link')).toHaveLength(0);
    expect(
      within(radiusItems[3]).getByLabelText(
        'Path: checkout-service ← restricted ← web-storefront',
      ),
    ).toBeInTheDocument();
    const dependencyItems = within(dependencies).getAllByRole('listitem');
    expect(dependencyItems).toHaveLength(2);
    expect(dependencyItems[1]).toHaveTextContent(
      'restricted (you may not read this entity)',
    );
    expect(within(dependencyItems[1]).queryAllByRole('link')).toHaveLength(0);
  });

  /** The checkout brief with these substrate owners, rendered; their line. */
  const renderSubstrateOwners = async (
    substrateOwners: { ref: string; owner: string }[],
  ) => {
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      owner: { ...checkoutBrief.owner, substrateOwners },
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    return screen.findByTestId('substrate-owners');
  };

  it('names the substrate owners as links to each resource and its owner', async () => {
    const line = await renderSubstrateOwners([
      { ref: 'resource:default/checkout-db', owner: 'group:default/dba-team' },
      {
        ref: 'resource:default/order-events',
        owner: 'group:default/platform-team',
      },
    ]);
    expect(line).toHaveTextContent(
      /^Substrate owners: .*checkout-db → .*dba-team, .*order-events → .*platform-team$/,
    );
    expect(
      within(line)
        .getAllByRole('link')
        .map(a => a.getAttribute('href')),
    ).toEqual([
      '/catalog/default/resource/checkout-db',
      '/catalog/default/group/dba-team',
      '/catalog/default/resource/order-events',
      '/catalog/default/group/platform-team',
    ]);
  });

  it('shows a substrate owner the caller may not read as the word restricted, not a link', async () => {
    const line = await renderSubstrateOwners([
      { ref: 'resource:default/orders-db', owner: 'restricted' },
    ]);
    expect(line).toHaveTextContent(
      /^Substrate owners: .*orders-db → restricted$/,
    );
    expect(
      within(line)
        .getAllByRole('link')
        .map(a => a.getAttribute('href')),
    ).toEqual(['/catalog/default/resource/orders-db']);
  });

  it('shows owner and change links that are not web links as text', async () => {
    const api = new FakeIncidentBriefApi();
    const [first, ...rest] = checkoutBrief.changes.items;
    api.brief = {
      ...checkoutBrief,
      owner: { ...checkoutBrief.owner, runbook: SCRIPT_URL },
      changes: {
        ...checkoutBrief.changes,
        items: [
          {
            ...first,
            change: {
              ...first.change,
              source: { ...first.change.source, url: SCRIPT_URL },
            },
          },
          ...rest,
        ],
      },
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    const owner = await screen.findByRole('list', {
      name: 'Owner and on-call',
    });
    expect(owner).toHaveTextContent('Ben Okafor (primary)');
    expect(owner).toHaveTextContent(`runbook (${SCRIPT_URL}, not a web link)`);
    const timeline = screen.getByRole('list', { name: 'Changes in window' });
    const items = within(timeline).getAllByTestId('change-item');
    expect(items[0]).toHaveTextContent(
      'checkout.split-tender release 0 → 100 %',
    );
    // The script URL is not linked; the only link is the change's entity.
    expect(
      within(items[0])
        .queryAllByRole('link')
        .map(a => a.textContent),
    ).toEqual(['checkout-service']);
  });

  it('says how many changes in window were withheld from the caller', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      changes: { ...checkoutBrief.changes, items: [], restricted: 3 },
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    expect(await screen.findByTestId('withheld-changes')).toHaveTextContent(
      '3 more changes, of entities you may not read, are not shown.',
    );
    expect(
      screen.getByText(/No changes you may read in the window/),
    ).toBeInTheDocument();
  });

  it('shows the first 25 of a long missing-evidence list with the total, and more on request (R6)', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      missingEvidence: Array.from({ length: 10_000 }, (_, i) => ({
        code: 'EDGE_UNVERIFIABLE',
        severity: 'info' as const,
        subject: `component:default/svc-${i}`,
        message: `edge ${i} cannot be verified.`,
        fix: null,
      })),
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    const missing = await screen.findByRole('table', {
      name: 'Missing evidence',
    });
    // a header row and 25 items
    expect(within(missing).getAllByRole('row')).toHaveLength(26);
    expect(screen.getByText('25 of 10,000 items shown')).toHaveAttribute(
      'role',
      'status',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Show more (9,975 not shown)' }),
    );
    expect(within(missing).getAllByRole('row')).toHaveLength(51);
    // the first row revealed (after the header and 25) takes the focus
    expect(within(missing).getAllByRole('row')[26]).toHaveFocus();
    expect(screen.getByText('50 of 10,000 items shown')).toBeInTheDocument();
  });

  it('pages missing evidence most severe first, so a warning is not hidden behind 30 notes', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      missingEvidence: [
        ...Array.from({ length: 30 }, (_, i) => ({
          code: 'EDGE_UNVERIFIABLE' as const,
          severity: 'info' as const,
          subject: `component:default/svc-${i}`,
          message: `edge ${i} cannot be verified.`,
          fix: null,
        })),
        {
          code: 'LEDGER_NO_COVERAGE' as const,
          severity: 'warn' as const,
          subject: 'component:default/checkout-service',
          message: 'no deploy records in 30 days.',
          fix: 'post deploys to the change ledger',
        },
      ],
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    const missing = await screen.findByRole('table', {
      name: 'Missing evidence',
    });
    const rows = within(missing).getAllByRole('row');
    expect(rows).toHaveLength(26);
    expect(rows[1]).toHaveTextContent('LEDGER_NO_COVERAGE');
  });

  it('names the first 15 cycles and counts the rest, as the markdown does', async () => {
    const api = new FakeIncidentBriefApi();
    const cycles = Array.from({ length: 40 }, (_, i) => [
      `component:default/a${i}`,
      `component:default/b${i}`,
      `component:default/a${i}`,
    ]);
    api.brief = {
      ...checkoutBrief,
      blastRadius: { ...checkoutBrief.blastRadius, cycles },
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    const line = await screen.findByText(/^Cycles:/);
    expect(line).toHaveTextContent(/^Cycles: a0 → b0 → a0; a1 → b1 → a1; /);
    expect(line).toHaveTextContent(/; a14 → b14 → a14; \+25 more$/);
    expect(line).not.toHaveTextContent('a15');
  });
});

describe('Start a fix note (IB §6.4)', () => {
  /** Opens the dialog from the tab and returns it with its note field. */
  async function openFixNote() {
    const result = await renderWithEntity(<EntityIncidentBriefContent />);
    const user = userEvent.setup(); // installs its own clipboard stub: replace it after
    await user.click(
      await screen.findByRole('button', { name: 'Start a fix note' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Fix note' });
    const field = within(dialog).getByRole('textbox', {
      name: 'Fix note (markdown)',
    }) as HTMLTextAreaElement;
    return { ...result, user, dialog, field };
  }

  it('opens a labelled dialog prefilled with the note of the brief', async () => {
    const { field } = await openFixNote();
    const constraint = renderFixNote(checkoutBrief)
      .split('\n')
      .find(l => l.startsWith('**Constraint**'))!;
    expect(constraint).toContain('checkout.split-tender');
    expect(constraint).toContain('on a tier-1 customer-facing service');
    expect(constraint).toContain('(Medium 11)');
    expect(field.value.split('\n')).toContain(constraint);
    expect(field.value).toMatch(/^## Fix note: <title>\n/);
    expect(field.value).toContain(
      '- [ ] declare checkout-service → pricing-service',
    );
    expect(field.value).toContain('- [ ] alias tax-svc');
    expect(field.value).toContain(
      'dependencies changed in the window: owner unknown (inventory-service config)',
    );
  });

  it('keeps the draft when a new window reloads the brief', async () => {
    const { user, dialog, field } = await openFixNote();
    await user.type(field, 'Rule: ramp flags');
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    // The brief is asked for again, and its view is drawn again once it is back.
    await user.click(screen.getByLabelText('Changes window'));
    await user.click(await screen.findByRole('option', { name: '7d' }));
    await user.click(
      await screen.findByRole('button', { name: 'Start a fix note' }),
    );
    const reopened = await screen.findByRole('dialog', { name: 'Fix note' });
    expect(
      (
        within(reopened).getByRole('textbox', {
          name: 'Fix note (markdown)',
        }) as HTMLTextAreaElement
      ).value,
    ).toContain('Rule: ramp flags');
  });

  it("does not carry one entity's draft to another entity's tab", async () => {
    // A link from one brief tab to another keeps the tab mounted; only the entity changes.
    const paymentService = {
      ...checkoutService,
      metadata: { name: 'payment-service', namespace: 'default' },
    };
    function MovingPage() {
      const [entity, setEntity] = useState(checkoutService);
      return (
        <>
          <button type="button" onClick={() => setEntity(paymentService)}>
            go to payment-service
          </button>
          <EntityProvider entity={entity}>
            <EntityIncidentBriefContent />
          </EntityProvider>
        </>
      );
    }
    const { api } = await renderWithEntity(<MovingPage />);
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', { name: 'Start a fix note' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Fix note' });
    await user.type(
      within(dialog).getByRole('textbox', { name: 'Fix note (markdown)' }),
      'Rule: ramp flags',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await user.click(
      screen.getByRole('button', { name: 'go to payment-service' }),
    );
    await waitFor(() =>
      expect(api.calls.at(-1)?.entityRef).toBe(
        'component:default/payment-service',
      ),
    );
    await user.click(
      await screen.findByRole('button', { name: 'Start a fix note' }),
    );
    const reopened = await screen.findByRole('dialog', { name: 'Fix note' });
    const field = within(reopened).getByRole('textbox', {
      name: 'Fix note (markdown)',
    }) as HTMLTextAreaElement;
    expect(field.value).toMatch(/^## Fix note: <title>\n/);
    expect(field.value).not.toContain('Rule: ramp flags');
  });

  it('keeps edits while open and across closing, and copies the edited text', async () => {
    const { user, dialog, field } = await openFixNote();
    const prefilled = field.value;
    await user.type(field, 'Rule: ramp flags');
    expect(field.value).toBe(`${prefilled}Rule: ramp flags`);

    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await user.click(screen.getByRole('button', { name: 'Start a fix note' }));
    const reopened = await screen.findByRole('dialog', { name: 'Fix note' });
    const edited = within(reopened).getByRole('textbox', {
      name: 'Fix note (markdown)',
    }) as HTMLTextAreaElement;
    expect(edited.value).toBe(`${prefilled}Rule: ramp flags`);

    const clipboard = captureClipboard();
    await user.click(
      within(reopened).getByRole('button', { name: 'Copy as markdown' }),
    );
    await waitFor(() => expect(clipboard.texts).toEqual([edited.value]));
    expect(within(reopened).getByRole('status')).toHaveTextContent(
      FIX_NOTE_COPIED_TEXT,
    );
  });

  it('says so and selects the note when the clipboard refuses', async () => {
    const { user, dialog, field } = await openFixNote();
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: () => Promise.reject(new Error('denied')) },
    });
    await user.click(
      within(dialog).getByRole('button', { name: 'Copy as markdown' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'did not allow writing to the clipboard',
    );
    expect(document.activeElement).toBe(field);
    expect(field.selectionEnd - field.selectionStart).toBe(field.value.length);
    expect(within(dialog).getByRole('status')).not.toHaveTextContent(
      FIX_NOTE_COPIED_TEXT,
    );
  });

  it('never names changes the caller may not read', async () => {
    const api = new FakeIncidentBriefApi();
    api.brief = {
      ...checkoutBrief,
      changes: {
        ...checkoutBrief.changes,
        items: checkoutBrief.changes.items.filter(i => i.hop === 0),
        restricted: 1,
      },
    };
    await renderWithEntity(<EntityIncidentBriefContent />, { api });
    const user = userEvent.setup();
    await user.click(
      await screen.findByRole('button', { name: 'Start a fix note' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Fix note' });
    const field = within(dialog).getByRole('textbox', {
      name: 'Fix note (markdown)',
    }) as HTMLTextAreaElement;
    expect(field.value).not.toContain('inventory-service');
    expect(field.value).not.toContain('reservation.hold-ttl');
    expect(field.value).toContain(
      'dependencies changed in the window: 1 change of an entity you may not read (not named)',
    );
  });
});
