import {
  cleanup,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import { layOutScrollRegion } from '@internal/suite-react';
import userEvent from '@testing-library/user-event';
import {
  cartApiDetail,
  cartApiRequest,
  D1,
  FakeGoldenPathsApi,
  FP,
  promoApproval,
  renderWithApi,
} from '../__testUtils__/fixtures';
import { expectScrollingWholeWordsTable } from '../__testUtils__/tables';
import { AuditEvent, RequestDetail } from '../api';
import { RequestDetailContent } from './RequestDetail';
import { RequestsListContent } from './RequestsList';

jest.setTimeout(30_000);

const COUPON_DIGEST = `sha256:e58f${'0'.repeat(60)}`;

/**
 * coupon-api as a user walked it through the demo portal: created by service-node-http in local
 * publish mode, no approval needed, a dry run before the real run (two ledger opens that read
 * alike), and a publish effect `<local remote>@<commit sha>` of ~100 characters.
 */
function couponApiDetail(): RequestDetail {
  const detail = cartApiDetail();
  const requestKey = 'service-node-http:coupon-api';
  const open = (
    id: string,
    dryRun: boolean,
    planDigest: string,
  ): AuditEvent => ({
    id,
    requestKey,
    at: '2026-12-07T09:00:00.000Z',
    eventType: 'golden-path-step',
    severity: dryRun ? 'low' : 'medium',
    record: {
      action: 'goldenpath:ledger:open',
      stepId: 'ledger-open',
      actor: { userRef: 'user:default/ana.ruiz', via: 'api' },
      dryRun,
      planDigest,
      decision: 'allow',
      result: 'started',
    },
  });
  return {
    request: {
      ...detail.request,
      requestKey,
      request: { name: 'coupon-api' },
    },
    steps: detail.steps.map(s =>
      s.stepId === 'publish-local'
        ? {
            ...s,
            requestKey,
            effectRef:
              '/work/main/packages/backend/.data/golden-paths/repos/coupon-api.git@3f786850e387550fdab836ed7e6dc881de23001b',
          }
        : { ...s, requestKey },
    ),
    approvals: [],
    events: [
      // a dry run's digest is a preview's, never the plan the request ran with
      open('01JE0000000000000000000001', true, `sha256:${'d'.repeat(64)}`),
      // a later open a kill switch refused ran no plan either
      open('01JE0000000000000000000002', false, COUPON_DIGEST),
      {
        ...open(
          '01JE0000000000000000000003',
          false,
          `sha256:${'f'.repeat(64)}`,
        ),
        record: {
          ...open('x', false, `sha256:${'f'.repeat(64)}`).record,
          decision: 'deny',
          result: 'skipped',
          errorCode: 'GP-K01',
        },
      },
    ],
  };
}

async function renderCouponApi(detail = couponApiDetail()) {
  const api = new FakeGoldenPathsApi();
  api.details[detail.request.requestKey] = detail;
  await renderWithApi(
    <RequestDetailContent requestKey={detail.request.requestKey} />,
    api,
  );
  await screen.findByRole('table', { name: 'Steps' });
}

describe('RequestDetailContent for a request created without an approval (coupon-api)', () => {
  it('keeps the Steps columns, Repair included, within 57rem: the table fits a 1280 px page', async () => {
    await renderCouponApi();
    const widths = within(screen.getByRole('table', { name: 'Steps' }))
      .getAllByRole('columnheader')
      .map(h => h.style.minWidth);
    expect(widths).toHaveLength(7);
    const rem = widths.map(w => {
      expect(w).toMatch(/^[\d.]+rem$/);
      return parseFloat(w);
    });
    expect(rem.reduce((sum, w) => sum + w, 0)).toBeLessThanOrEqual(57);
  });

  it('lets a long effect reference wrap, which held the Effect column so wide that Repair was cut off', async () => {
    await renderCouponApi();
    const [publish] = screen.getAllByTestId('step-effect');
    expect(publish).toHaveTextContent(
      '/work/main/packages/backend/.data/golden-paths/repos/coupon-api.git@3f786850e387550fdab836ed7e6dc881de23001b',
    );
    // after its separators, and inside the 40-character sha where even that is too wide
    expect(publish.innerHTML).toContain('repos/<wbr>coupon-api.git@<wbr>3f78');
    expect(publish.style.overflowWrap).toBe('anywhere');
    // the other cells still keep their words whole
    expect(publish).toHaveStyle({ wordBreak: 'normal' });
  });

  it('marks a dry run in the audit trail, which read like the real run', async () => {
    await renderCouponApi();
    const [dry, real] = within(expectScrollingWholeWordsTable('Audit trail'))
      .getAllByRole('row')
      .slice(1);
    expect(dry).toHaveTextContent('dry run · allow · started');
    expect(real).toHaveTextContent('allow · started');
    expect(real).not.toHaveTextContent('dry run');
  });

  it('shows the plan digest of the real ledger open when the request row has none', async () => {
    await renderCouponApi();
    expect(screen.getByTestId('request-plan-digest')).toHaveTextContent(
      `${COUPON_DIGEST} (from the ledger-open audit record of 2026-12-07 09:00 UTC)`,
    );
    expect(
      screen.getByText(
        "The plan's effects are not on record: the ledger keeps them only with an approval, and this request has none. Its digest is above, from the ledger-open audit record.",
      ),
    ).toBeInTheDocument();
  });

  it("prefers the request row's plan digest, which an approval binds", async () => {
    const detail = couponApiDetail();
    detail.request = { ...detail.request, planDigest: D1 };
    await renderCouponApi(detail);
    expect(screen.getByTestId('request-plan-digest')).toHaveTextContent(
      new RegExp(`^${D1}$`),
    );
  });

  it("shows a database request's plan digest as it closed, never its ledger open's (the preview's, not the provider plan it ran)", async () => {
    const provider = `sha256:${'b'.repeat(64)}`;
    const detail = couponApiDetail();
    detail.request = {
      ...detail.request,
      kind: 'database',
      outputs: { planDigest: provider },
    };
    await renderCouponApi(detail);
    expect(screen.getByTestId('request-plan-digest')).toHaveTextContent(
      new RegExp(`^${provider}$`),
    );
    expect(
      screen.getByText(
        "The plan's effects are not on record: the ledger keeps them only with an approval, and this request has none. Its digest is above, as the request recorded when it closed.",
      ),
    ).toBeInTheDocument();
    cleanup();
    // still open (nothing recorded at close yet): no digest rather than the preview's
    detail.request = { ...detail.request, outputs: undefined };
    await renderCouponApi(detail);
    expect(screen.getByTestId('request-plan-digest')).toHaveTextContent(/^—$/);
  });

  it('says no plan was recorded when no audit record carries a digest either', async () => {
    const detail = couponApiDetail();
    detail.events = detail.events.filter(e => e.record.dryRun === true);
    await renderCouponApi(detail);
    expect(screen.getByTestId('request-plan-digest')).toHaveTextContent(/^—$/);
    expect(screen.getByText('No plan was recorded.')).toBeInTheDocument();
  });

  it('names no design-note section (§) anywhere a user reads', async () => {
    await renderCouponApi();
    expect(
      screen.getByText(/^Repair… is for a step whose effect was undone/),
    ).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('§');
  });
});

describe('RequestDetailContent', () => {
  it('shows status, fingerprint, template, steps and the audit trail', async () => {
    const { api } = await renderWithApi(
      <RequestDetailContent requestKey="service-node-http:cart-api" />,
    );
    expect(
      await screen.findByRole('heading', {
        name: /service-node-http:cart-api/,
      }),
    ).toBeInTheDocument();
    expect(api.calls).toEqual(['getRequest:service-node-http:cart-api']);
    expect(screen.getByTestId('request-status')).toHaveTextContent('succeeded');
    expect(screen.getByTestId('request-fingerprint')).toHaveTextContent(FP);
    // Refs as the catalog names them, linked to their entity pages.
    const facts = screen.getByTestId('request-status').closest('dl')!;
    expect(facts).toHaveTextContent('service-node-http version 1.0.0');
    expect(
      within(facts).getByRole('link', { name: 'service-node-http' }),
    ).toHaveAttribute('href', '/catalog/default/template/service-node-http');
    expect(
      within(facts).getByRole('link', { name: 'ana.ruiz' }),
    ).toHaveAttribute('href', '/catalog/default/user/ana.ruiz');

    const steps = within(screen.getByRole('table', { name: 'Steps' }))
      .getAllByRole('row')
      .slice(1);
    expect(steps.map(r => r.querySelector('th')?.textContent)).toEqual([
      'publish-local',
      'register',
    ]);
    expect(steps[0]).toHaveTextContent('file:///repos/cart-api.git#abc123');
    expect(steps[0]).toHaveTextContent('2026-11-23 10:00 UTC');
    // Whole words in a region that scrolls sideways, as the audit trail below.
    expectScrollingWholeWordsTable('Steps');

    // Whole words in a region that scrolls sideways, not "Severit y" on a narrow page.
    expectScrollingWholeWordsTable('Audit trail');
    const events = within(screen.getByRole('table', { name: 'Audit trail' }))
      .getAllByRole('row')
      .slice(1);
    expect(events).toHaveLength(2);
    expect(events[0]).toHaveTextContent('goldenpath:ledger:open');
    expect(events[0]).toHaveTextContent('user:default/ana.ruiz');
    expect(events[0]).toHaveTextContent('allow · started');
    expect(events[1]).toHaveTextContent('goldenpath:ledger:close');
    // its Outcome column is past the right edge of a 1280 px page: a shadow says there is more
    const audit = screen.getByRole('region', {
      name: 'Audit trail, scrollable',
    });
    for (const [name, value] of Object.entries({
      scrollWidth: 1060,
      clientWidth: 980,
      scrollLeft: 0,
    }))
      Object.defineProperty(audit, name, { configurable: true, value });
    fireEvent.scroll(audit);
    expect(
      within(audit.parentElement!).getByTestId('scroll-shadow-right'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: 'Approvals (0)' }),
    ).toBeInTheDocument();
    expect(screen.getByText('No plan was recorded.')).toBeInTheDocument();
  });

  it('shows the plan with reversibility and each approval with its decision record', async () => {
    const api = new FakeGoldenPathsApi();
    const detail = cartApiDetail();
    detail.request = { ...detail.request, planDigest: D1, status: 'open' };
    detail.approvals = [
      promoApproval({
        status: 'approved',
        decisions: [
          {
            approvalId: 'apr_01JD0000000000000000000001',
            route: 'group:default/platform-team',
            approver: 'user:default/fatima.haddad',
            decision: 'approve',
            reason: 'Tier 1 runbook and on-call are in place.',
            answers: {
              intent: true,
              risk: true,
              rollback: true,
              timing: true,
              exception: true,
            },
            decidedAt: '2026-11-23T11:00:00.000Z',
            breakGlass: false,
          },
        ],
      }),
    ];
    api.details['service-node-http:cart-api'] = detail;
    await renderWithApi(
      <RequestDetailContent requestKey="service-node-http:cart-api" />,
      api,
    );
    await screen.findByRole('table', { name: 'Plan effects' });
    // Whole words in a region that scrolls sideways, not "catal og.re giste r" on a phone.
    const effects = expectScrollingWholeWordsTable('Plan effects');
    const register = within(effects).getAllByRole('row')[2];
    expect(register).toHaveTextContent(
      'registercatalog.registercomponent:default/promo-apireversible',
    );
    // the target ref may wrap after its separators, as one whole word it would widen its column
    expect(register.innerHTML).toContain(
      'component:<wbr>default/<wbr>promo-api',
    );
    const decisions = expectScrollingWholeWordsTable(
      'Decisions on apr_01JD0000000000000000000001',
    );
    const row = within(decisions).getAllByRole('row')[1];
    expect(row).toHaveTextContent('user:default/fatima.haddad');
    expect(row).toHaveTextContent('approved');
    expect(row).toHaveTextContent('Tier 1 runbook and on-call are in place.');
    expect(row).toHaveTextContent(
      'The intent is right; The risk classification is right; The rollback path is credible; The timing is acceptable; The exception (if any) is worth taking',
    );
  });

  it('shows the drift the reconciler still sees', async () => {
    const api = new FakeGoldenPathsApi();
    const detail = cartApiDetail();
    detail.drift = {
      open: [
        {
          id: 'entity.lifecycle component:default/cart-api production',
          check: 'entity.lifecycle',
          target: 'component:default/cart-api',
          expected: 'experimental',
          observed: 'production',
          message:
            'component:default/cart-api is production in the catalog; the ledger records experimental',
        },
      ],
      since: '2026-11-23T12:00:00.000Z',
    };
    api.details['service-node-http:cart-api'] = detail;
    await renderWithApi(
      <RequestDetailContent requestKey="service-node-http:cart-api" />,
      api,
    );
    expect(
      await screen.findByRole('heading', { name: 'Drift (1 open)' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/since 2026-11-23 12:00 UTC/)).toBeInTheDocument();
    const [row] = within(expectScrollingWholeWordsTable('Drift'))
      .getAllByRole('row')
      .slice(1);
    expect(row).toHaveTextContent(
      'entity.lifecyclecomponent:default/cart-apiexperimentalproduction',
    );
    expect(row).toHaveTextContent('the ledger records experimental');
  });

  it('shows no drift section when nothing is open', async () => {
    const api = new FakeGoldenPathsApi();
    const detail = cartApiDetail();
    detail.drift = { open: [] };
    api.details['service-node-http:cart-api'] = detail;
    await renderWithApi(
      <RequestDetailContent requestKey="service-node-http:cart-api" />,
      api,
    );
    expect(
      await screen.findByRole('heading', {
        name: /service-node-http:cart-api/,
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('heading', { name: /^Drift/ }),
    ).not.toBeInTheDocument();
  });

  it('shows the 404 of an unknown request', async () => {
    await renderWithApi(
      <RequestDetailContent requestKey="service-node-http:gone" />,
    );
    expect(
      await screen.findByText(/request "service-node-http:gone" not found/),
    ).toBeInTheDocument();
  });
});

/** A failed audit record of cart-api with `errorCode`, written by task `taskId` at `at`. */
function failedRecord(
  id: string,
  at: string,
  errorCode: string,
  taskId: string | null,
  dryRun = false,
): AuditEvent {
  return {
    id,
    requestKey: cartApiRequest.requestKey,
    at,
    eventType: 'golden-path-step',
    severity: 'medium',
    record: {
      action: 'goldenpath:ledger:close',
      stepId: 'ledger-close',
      taskId,
      dryRun,
      result: 'failed',
      errorCode,
    },
  };
}

/** cart-api failed with `code`, its audit trail ending in `events`. */
async function renderFailedCartApi(code: string, events: AuditEvent[]) {
  const api = new FakeGoldenPathsApi();
  const detail = cartApiDetail();
  detail.request = {
    ...detail.request,
    status: 'failed',
    lastErrorCode: code,
  };
  detail.events = [...detail.events.slice(0, 1), ...events];
  api.details[cartApiRequest.requestKey] = detail;
  await renderWithApi(
    <RequestDetailContent requestKey={cartApiRequest.requestKey} />,
    api,
  );
  const term = await screen.findByText('Last error');
  return term.nextElementSibling as HTMLElement;
}

describe("RequestDetailContent's last error", () => {
  it('says what the code means and links the task whose log holds the full message', async () => {
    const lastError = await renderFailedCartApi('GP-D06', [
      failedRecord('01JD01', '2026-11-23T10:00:10.000Z', 'GP-D06', 'task-3'),
      failedRecord('01JD02', '2026-11-23T11:00:10.000Z', 'GP-D06', 'task-7'),
      // a later dry run's task is not kept by the scaffolder, nor what failed the request
      failedRecord(
        '01JD03',
        '2026-11-23T12:00:10.000Z',
        'GP-D06',
        'task-dry',
        true,
      ),
      // nor is a later record of another code
      failedRecord('01JD04', '2026-11-23T13:00:10.000Z', 'GP-K01', 'task-9'),
    ]);
    expect(lastError).toHaveTextContent(
      "GP-D06 — estimated monthly cost is above the tier's limit (full message in the task log)",
    );
    expect(
      within(lastError).getByRole('link', {
        name: 'full message in the task log',
      }),
    ).toHaveAttribute('href', '/create/tasks/task-7');
  });

  it('shows the meaning without a link when no record names the task', async () => {
    const lastError = await renderFailedCartApi('GP-A01', [
      failedRecord('01JD01', '2026-11-23T10:00:10.000Z', 'GP-A01', null),
    ]);
    expect(lastError).toHaveTextContent(
      /^GP-A01 — an approval is needed before anything is created$/,
    );
    expect(within(lastError).queryByRole('link')).not.toBeInTheDocument();
  });

  it('says what a lease expiry means, and where to look, though it has no message', async () => {
    const lastError = await renderFailedCartApi('lease-expired', [
      failedRecord(
        '01JD01',
        '2026-11-23T10:30:00.000Z',
        'lease-expired',
        'task-5',
      ),
    ]);
    expect(lastError).toHaveTextContent(
      'lease-expired — the task running the request stopped before it finished, and its lease expired (see the task log)',
    );
    expect(
      within(lastError).getByRole('link', { name: 'see the task log' }),
    ).toHaveAttribute('href', '/create/tasks/task-5');
  });

  it('shows a code it does not know alone', async () => {
    const lastError = await renderFailedCartApi('GP-Z99', []);
    expect(lastError).toHaveTextContent(/^GP-Z99$/);
  });

  it("gives an audit row's error code its meaning on hover", async () => {
    await renderFailedCartApi('GP-I03', [
      failedRecord('01JD01', '2026-11-23T10:00:10.000Z', 'GP-I03', 'task-3'),
    ]);
    const [, failed] = within(expectScrollingWholeWordsTable('Audit trail'))
      .getAllByRole('row')
      .slice(1);
    expect(failed).toHaveTextContent('failed · GP-I03');
    expect(
      within(failed).getByTitle(
        'the request is already running in another task',
      ),
    ).toHaveTextContent(/^GP-I03$/);
  });
});

/** Requests `service-node-http:cart-api-<n>`, each last updated on 2026-11-2<n>. */
const cartApiRequests = (...ns: number[]) =>
  ns.map(n => ({
    ...cartApiRequest,
    requestKey: `service-node-http:cart-api-${n}`,
    updatedAt: `2026-11-2${n}T10:00:00.000Z`,
  }));

/** The requests page over cart-api-3, -2 and -1, two a page; its table once shown. */
async function renderThreeRequestsTwoAPage() {
  const user = userEvent.setup();
  const api = new FakeGoldenPathsApi();
  api.requests = cartApiRequests(3, 2, 1);
  api.requestsPageSize = 2;
  await renderWithApi(<RequestsListContent />, api);
  const table = await screen.findByRole('table', {
    name: 'Golden-path requests',
  });
  return { user, api, table };
}

describe('RequestsListContent', () => {
  it('links every request to its page', async () => {
    await renderWithApi(<RequestsListContent />);
    const table = await screen.findByRole('table', {
      name: 'Golden-path requests',
    });
    expect(
      within(table).getByRole('link', { name: 'service-node-http:cart-api' }),
    ).toHaveAttribute(
      'href',
      '/golden-paths/requests/service-node-http%3Acart-api',
    );
    const [first] = within(table).getAllByRole('row').slice(1);
    expect(
      within(first).getByText('version 1.0.0', { exact: true }),
    ).toBeInTheDocument();
    expect(
      within(first).getByRole('link', { name: 'service-node-http' }),
    ).toHaveAttribute('href', '/catalog/default/template/service-node-http');
    expect(
      within(first).getByRole('link', { name: 'ana.ruiz' }),
    ).toHaveAttribute('href', '/catalog/default/user/ana.ruiz');
  });

  it('keeps its words whole in a region that scrolls sideways, the refs as the catalog names them', async () => {
    await renderWithApi(<RequestsListContent />);
    await screen.findByRole('table', { name: 'Golden-path requests' });
    // a phone split every header and ref a letter or two per line and the page scrolled sideways
    const table = expectScrollingWholeWordsTable('Golden-path requests');
    // Full refs (`template:default/service-node-http`) made the narrowest columns the widest.
    const [row] = within(table).getAllByRole('row').slice(1);
    expect(row).not.toHaveTextContent('template:default/');
    expect(row).not.toHaveTextContent('user:default/');
  });

  it('shadows the side of the requests table scrolled out of view', async () => {
    await renderWithApi(<RequestsListContent />);
    await screen.findByRole('table', { name: 'Golden-path requests' });
    const region = screen.getByRole('region', {
      name: 'Golden-path requests, scrollable',
    });
    // jsdom lays nothing out: the sizes a phone gives the table
    layOutScrollRegion(region, {
      scrollWidth: 640,
      clientWidth: 358,
      scrollLeft: 0,
    });
    fireEvent.scroll(region);
    expect(screen.getByTestId('scroll-shadow-right')).toBeInTheDocument();
  });

  it('offers the older requests when the backend answers more than one page', async () => {
    const { user, api, table } = await renderThreeRequestsTwoAPage();
    expect(
      within(table).getAllByRole('link', { name: /^service-node-http:/ }),
    ).toHaveLength(2);
    expect(
      screen.getByText(
        'Showing the 2 most recently updated requests; older ones follow.',
      ),
    ).toBeInTheDocument();
    await user.click(
      screen.getByRole('button', { name: 'Show older requests' }),
    );
    expect(
      await within(table).findByRole('link', {
        name: 'service-node-http:cart-api-1',
      }),
    ).toBeInTheDocument();
    expect(
      within(table).getAllByRole('link', { name: /^service-node-http:/ }),
    ).toHaveLength(3);
    expect(
      screen.queryByRole('button', { name: 'Show older requests' }),
    ).toBeNull();
    // the older page, then the first page again (nothing newer than what was shown: one page)
    expect(api.calls).toEqual([
      'getRequests:',
      'getRequests::2026-11-22T10:00:00.000Z|service-node-http:cart-api-2',
      'getRequests:',
    ]);
  });

  it('shows a request updated between two pages at the top instead of skipping it', async () => {
    const { user, api, table } = await renderThreeRequestsTwoAPage();
    const keys = () =>
      within(table)
        .getAllByRole('link', { name: /^service-node-http:/ })
        .map(a => a.textContent);
    expect(keys()).toEqual([
      'service-node-http:cart-api-3',
      'service-node-http:cart-api-2',
    ]);
    // cart-api-1, not shown yet, is updated: it now sorts before the first page's rows, so the
    // page after them no longer lists it. Two requests are made meanwhile, so what is newer than
    // the list takes two pages.
    api.requests[2] = {
      ...api.requests[2],
      status: 'failed',
      updatedAt: '2026-11-26T10:00:00.000Z',
    };
    api.requests.push(...cartApiRequests(4, 5));
    api.calls.length = 0;
    await user.click(
      screen.getByRole('button', { name: 'Show older requests' }),
    );
    await waitFor(() =>
      expect(keys()).toEqual([
        'service-node-http:cart-api-1',
        'service-node-http:cart-api-5',
        'service-node-http:cart-api-4',
        'service-node-http:cart-api-3',
        'service-node-http:cart-api-2',
      ]),
    );
    // the older page (empty now), then the head down to the newest request shown before
    expect(api.calls).toEqual([
      'getRequests::2026-11-22T10:00:00.000Z|service-node-http:cart-api-2',
      'getRequests:',
      'getRequests::2026-11-25T10:00:00.000Z|service-node-http:cart-api-5',
    ]);
    expect(
      screen.queryByRole('button', { name: 'Show older requests' }),
    ).toBeNull();
  });

  it('shows the empty state', async () => {
    const api = new FakeGoldenPathsApi();
    api.requests = [];
    await renderWithApi(<RequestsListContent />, api);
    expect(await screen.findByText('No requests')).toBeInTheDocument();
  });
});
