import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  cartDbApproval,
  D1,
  FakeGoldenPathsApi,
  findEnabledButton,
  promoAdminApproval,
  promoApproval,
  renderWithApi,
  responseError,
  SIGNED_IN,
} from '../__testUtils__/fixtures';
import { ApprovalsInboxContent } from './ApprovalsInbox';

jest.setTimeout(30_000);

const REASON = 'Tier 1 runbook and on-call are in place.';

async function openDialog(user: ReturnType<typeof userEvent.setup>) {
  await user.click(
    await findEnabledButton('Decide service-node-http:promo-api'),
  );
  return screen.findByRole('dialog', {
    name: 'Decide service-node-http:promo-api',
  });
}

async function typeReason(
  user: ReturnType<typeof userEvent.setup>,
  dialog: HTMLElement,
  text: string,
) {
  await user.click(within(dialog).getByRole('textbox', { name: /Reason/ }));
  await user.paste(text);
}

async function confirmAll(
  user: ReturnType<typeof userEvent.setup>,
  dialog: HTMLElement,
) {
  for (const label of [
    'The intent is right',
    'The risk classification is right',
    'The rollback path is credible',
    'The timing is acceptable',
    'The exception (if any) is worth taking',
  ])
    await user.click(within(dialog).getByRole('checkbox', { name: label }));
}

describe('ApprovalsInboxContent', () => {
  it('says when more approvals are routed to the user than the 500 listed', async () => {
    const api = new FakeGoldenPathsApi();
    api.inboxTruncated = true;
    await renderWithApi(<ApprovalsInboxContent />, api);
    expect(await screen.findByTestId('inbox-truncated')).toHaveTextContent(
      'Only the newest 500 pending approvals routed to your groups are listed',
    );
  });

  it('says nothing of a cut when the inbox is whole', async () => {
    await renderWithApi(<ApprovalsInboxContent />, new FakeGoldenPathsApi());
    expect(
      await screen.findByRole('heading', { name: /Waiting for your decision/ }),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('inbox-truncated')).toBeNull();
  });

  it('lists each pending approval with triggers, requester, digest, expiry, routes and plan', async () => {
    const api = new FakeGoldenPathsApi();
    api.inbox = [promoApproval(), cartDbApproval()];
    await renderWithApi(<ApprovalsInboxContent />, api);

    expect(
      await screen.findByRole('heading', {
        name: 'Waiting for your decision (2)',
      }),
    ).toBeInTheDocument();
    const [promo, cartDb] = screen.getAllByTestId('approval-item');
    expect(
      within(promo).getByRole('link', { name: 'service-node-http:promo-api' }),
    ).toHaveAttribute(
      'href',
      '/golden-paths/requests/service-node-http%3Apromo-api',
    );
    expect(
      within(promo).getByRole('list', {
        name: 'Triggers of service-node-http:promo-api',
      }),
    ).toHaveTextContent('tier-1: tier 1 service');
    expect(promo).toHaveTextContent('Requested byuser:default/ana.ruiz');
    expect(within(promo).getByTestId('plan-digest')).toHaveTextContent(D1);
    expect(promo).toHaveTextContent(/Expires.*\(in 5 d\)|\(in 6 d\)/);
    expect(
      within(promo).getByRole('list', {
        name: 'Routes of service-node-http:promo-api',
      }),
    ).toHaveTextContent('group:default/platform-team — tier-1 (waiting)');
    const effects = within(promo).getByRole('table', {
      name: 'Plan effects of service-node-http:promo-api',
    });
    expect(within(effects).getAllByRole('row')[1]).toHaveTextContent(
      'publishrepo.createfile:///repos/promo-api.gitcompensating',
    );

    expect(
      within(cartDb).getByRole('list', {
        name: 'Triggers of postgres-database:cart-db:prod',
      }),
    ).toHaveTextContent(
      'production-data: database in prod; critical-pii datacost: Estimated $3,676.50/month',
    );
    expect(within(cartDb).getByTestId('plan-estimate')).toHaveTextContent(
      'Estimate: $3,676.50 per month',
    );
  });

  it("shows a database plan's C15 estimate, recorded as a bare decimal, as money", async () => {
    const api = new FakeGoldenPathsApi();
    api.inbox = [cartDbApproval()];
    await renderWithApi(<ApprovalsInboxContent />, api);
    expect(await screen.findByTestId('plan-estimate')).toHaveTextContent(
      'Estimate: $3,676.50 per month (price book 2026.11.0)',
    );
  });

  it('keeps the inbox and the confirmation when the reload after a decision fails', async () => {
    const api = new FakeGoldenPathsApi();
    api.inbox = [promoApproval(), cartDbApproval()];
    const decide = api.decide.bind(api);
    api.decide = async (id, input) => {
      const answer = await decide(id, input);
      // recorded; the reload that follows fails
      api.error = new Error('golden-paths backend unavailable');
      return answer;
    };
    await renderWithApi(<ApprovalsInboxContent />, api);
    const user = userEvent.setup();
    const dialog = await openDialog(user);
    await confirmAll(user, dialog);
    await typeReason(user, dialog, REASON);
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(await screen.findByTestId('refresh-error')).toHaveTextContent(
      'Could not reload: golden-paths backend unavailable',
    );
    expect(screen.getByTestId('decision-done')).toHaveTextContent(
      'Approved service-node-http:promo-api',
    );
    expect(
      screen.getByRole('heading', { name: /Waiting for your decision/ }),
    ).toBeInTheDocument();
  });

  it('submits an approval with the reason and the five answers, then refreshes', async () => {
    const user = userEvent.setup();
    const { api } = await renderWithApi(<ApprovalsInboxContent />);
    const dialog = await openDialog(user);
    await confirmAll(user, dialog);
    await typeReason(user, dialog, REASON);
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));

    await waitFor(() => expect(api.decisions).toHaveLength(1));
    expect(api.decisions[0]).toEqual({
      approvalId: 'apr_01JD0000000000000000000001',
      input: {
        decision: 'approve',
        reason: REASON,
        answers: {
          intent: true,
          risk: true,
          rollback: true,
          timing: true,
          exception: true,
        },
      },
    });
    expect(await screen.findByTestId('decision-done')).toHaveTextContent(
      'Approved service-node-http:promo-api for group:default/platform-team; approval is now approved.',
    );
    expect(await screen.findByText('Nothing to decide')).toBeInTheDocument();
    expect(api.calls.filter(c => c === 'getApprovalsInbox')).toHaveLength(2);
  });

  describe('an approval routed to two groups (§6.1: each decides its own route)', () => {
    const PLATFORM = 'group:default/platform-team';
    const SECURITY = 'group:default/security-team';
    const twoRoutes = (decidableRoutes: string[]) =>
      promoApproval({
        routes: [
          { group: PLATFORM, triggers: ['tier-1'] },
          { group: SECURITY, triggers: ['network'] },
        ],
        decidableRoutes,
      });

    it('decides the route of the user’s group, named in the request, and then offers nothing more to decide', async () => {
      const user = userEvent.setup();
      const api = new FakeGoldenPathsApi();
      api.inbox = [twoRoutes([PLATFORM])];
      await renderWithApi(<ApprovalsInboxContent />, api);
      const dialog = await openDialog(user);
      // one route to decide: no choice to make
      expect(within(dialog).queryByLabelText('Decide for')).toBeNull();
      await confirmAll(user, dialog);
      await typeReason(user, dialog, REASON);
      await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
      await waitFor(() => expect(api.decisions).toHaveLength(1));
      expect(api.decisions[0].input.route).toBe(PLATFORM);
      expect(await screen.findByTestId('decision-done')).toHaveTextContent(
        `Approved service-node-http:promo-api for ${PLATFORM}; approval is now pending.`,
      );
      const decided = await screen.findByRole('region', {
        name: 'Decided by your groups, waiting for other groups (1)',
      });
      expect(
        within(decided).getByText(
          `Your group's route is decided; waiting for ${SECURITY}.`,
        ),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('button', {
          name: 'Decide service-node-http:promo-api',
        }),
      ).toBeNull();
      expect(await screen.findByText('Nothing to decide')).toBeInTheDocument();
    });

    it('lets a member of both groups pick the route, without an automatic choice', async () => {
      const user = userEvent.setup();
      const api = new FakeGoldenPathsApi();
      api.inbox = [twoRoutes([PLATFORM, SECURITY])];
      await renderWithApi(<ApprovalsInboxContent />, api);
      const dialog = await openDialog(user);
      await user.click(within(dialog).getByLabelText('Decide for'));
      const options = await screen.findAllByRole('option');
      expect(options.map(o => o.textContent)).toEqual([
        `${PLATFORM} (tier-1)`,
        `${SECURITY} (network)`,
      ]);
      await user.click(options[1]);
      await confirmAll(user, dialog);
      await typeReason(user, dialog, REASON);
      await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
      await waitFor(() => expect(api.decisions).toHaveLength(1));
      expect(api.decisions[0].input.route).toBe(SECURITY);
    });

    it('says when the backend found the decision recorded already', async () => {
      const user = userEvent.setup();
      const api = new FakeGoldenPathsApi();
      const decide = api.decide.bind(api);
      api.decide = async (id, input) => ({
        ...(await decide(id, input)),
        created: false,
      });
      await renderWithApi(<ApprovalsInboxContent />, api);
      const dialog = await openDialog(user);
      await confirmAll(user, dialog);
      await typeReason(user, dialog, REASON);
      await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
      expect(await screen.findByTestId('decision-done')).toHaveTextContent(
        `Already recorded by ${SIGNED_IN}: Approved service-node-http:promo-api`,
      );
    });
  });

  it('refuses a short reason and missing answers before submitting', async () => {
    const user = userEvent.setup();
    const { api } = await renderWithApi(<ApprovalsInboxContent />);
    const dialog = await openDialog(user);
    await typeReason(user, dialog, 'looks ok');
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));

    const alerts = within(dialog).getAllByRole('alert');
    expect(alerts.map(a => a.textContent)).toEqual([
      'Confirm all five statements to approve.',
      'Reason must be at least 10 characters (8 so far).',
    ]);
    expect(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
    ).toHaveAttribute('aria-invalid', 'true');
    expect(api.decisions).toHaveLength(0);
    expect(api.calls).not.toContain('decide:apr_01JD0000000000000000000001');
  });

  it('rejects without the answers and shows the server 4xx text verbatim', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    api.decideError = await responseError(
      403,
      'NotAllowedError',
      'GP-A04: You requested this change; someone else from group:default/platform-team must approve it.',
    );
    await renderWithApi(<ApprovalsInboxContent />, api);
    const dialog = await openDialog(user);
    await user.click(within(dialog).getByRole('radio', { name: 'Reject' }));
    await typeReason(user, dialog, 'No WAF in front of it yet.');
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(
      await within(dialog).findByTestId('decision-server-error'),
    ).toHaveTextContent(
      'GP-A04: You requested this change; someone else from group:default/platform-team must approve it.',
    );
    expect(api.calls).toContain('decide:apr_01JD0000000000000000000001');
    // The dialog stays open for a correction.
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('shows the refusal text of a 409 body without the error envelope', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    const { ResponseError } = await import('@backstage/errors');
    api.decideError = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'ConflictError',
            message:
              'GP-A05: Approval apr_01JD0000000000000000000001 expired on 2026-11-30; run the template again to request a new one.',
          },
          ruleId: 'GP-A05',
        }),
        { status: 409, headers: { 'content-type': 'application/json' } },
      ),
    );
    await renderWithApi(<ApprovalsInboxContent />, api);
    const dialog = await openDialog(user);
    await confirmAll(user, dialog);
    await typeReason(user, dialog, REASON);
    await user.click(within(dialog).getByRole('button', { name: 'Approve' }));
    expect(
      await within(dialog).findByTestId('decision-server-error'),
    ).toHaveTextContent(
      /^GP-A05: Approval apr_01JD0000000000000000000001 expired on 2026-11-30; run the template again to request a new one\.$/,
    );
  });

  it("lists the signed-in user's own pending approvals in their own section, without Decide", async () => {
    const api = new FakeGoldenPathsApi();
    api.inbox = [promoApproval(), promoAdminApproval()];
    await renderWithApi(<ApprovalsInboxContent />, api);

    const others = await screen.findByRole('region', {
      name: 'Waiting for your decision (1)',
    });
    const mine = screen.getByRole('region', {
      name: 'Your requests awaiting approval (1)',
    });
    expect(within(others).getAllByTestId('approval-item')).toHaveLength(1);
    expect(
      within(others).getByRole('button', {
        name: 'Decide service-node-http:promo-api',
      }),
    ).toBeInTheDocument();
    expect(
      within(others).queryByRole('button', { name: /Break-glass/ }),
    ).not.toBeInTheDocument();

    const [own] = within(mine).getAllByTestId('approval-item');
    expect(
      within(own).getByRole('link', {
        name: 'service-node-http:promo-admin-api',
      }),
    ).toBeInTheDocument();
    expect(own).toHaveTextContent('Requested byuser:default/fatima.haddad');
    expect(
      within(own).queryByRole('button', { name: /^Decide/ }),
    ).not.toBeInTheDocument();
    expect(own).toHaveTextContent(/You requested this change/);
    // goldenpaths.approval.decide is allowed (the test app's permission API): both are enabled,
    // and nothing says they are denied.
    await findEnabledButton(
      'Break-glass approve service-node-http:promo-admin-api',
      within(own),
    );
    await findEnabledButton(
      'Decide service-node-http:promo-api',
      within(others),
    );
    expect(screen.queryByTestId('permission-denied-note')).toBeNull();
  });

  it('compares the requester with the signed-in user case-insensitively', async () => {
    const api = new FakeGoldenPathsApi();
    api.inbox = [promoAdminApproval()];
    await renderWithApi(<ApprovalsInboxContent />, api, undefined, {
      userEntityRef: 'user:default/Fatima.Haddad',
    });
    expect(
      await screen.findByRole('region', {
        name: 'Your requests awaiting approval (1)',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('Nothing to decide')).toBeInTheDocument();
  });

  it('break-glass approves your own request with breakGlass: true (V10)', async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    api.inbox = [promoAdminApproval()];
    await renderWithApi(<ApprovalsInboxContent />, api);

    await user.click(
      await findEnabledButton(
        'Break-glass approve service-node-http:promo-admin-api',
      ),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Break-glass approve service-node-http:promo-admin-api',
    });
    // The decision is fixed to approve; break-glass is checked, required and explained.
    expect(within(dialog).queryByRole('radio')).not.toBeInTheDocument();
    const breakGlass = within(dialog).getByRole('checkbox', {
      name: /Break-glass: approve my own request/,
    });
    expect(breakGlass).toBeChecked();
    expect(breakGlass).toBeRequired();
    expect(dialog).toHaveTextContent(/audited as critical/);
    expect(dialog).toHaveTextContent(/review/);
    expect(dialog).toHaveTextContent(/break-glass group/);

    // Unchecking it refuses to submit.
    await user.click(breakGlass);
    await confirmAll(user, dialog);
    await typeReason(user, dialog, REASON);
    await user.click(
      within(dialog).getByRole('button', { name: 'Break-glass approve' }),
    );
    expect(
      within(dialog).getByText(
        'Confirm break-glass to approve your own request.',
      ),
    ).toBeInTheDocument();
    expect(api.decisions).toHaveLength(0);

    await user.click(breakGlass);
    await user.click(
      within(dialog).getByRole('button', { name: 'Break-glass approve' }),
    );
    await waitFor(() => expect(api.decisions).toHaveLength(1));
    expect(api.decisions[0]).toEqual({
      approvalId: 'apr_01JD0000000000000000000010',
      input: {
        decision: 'approve',
        reason: REASON,
        answers: {
          intent: true,
          risk: true,
          rollback: true,
          timing: true,
          exception: true,
        },
        breakGlass: true,
      },
    });
    expect(await screen.findByTestId('decision-done')).toHaveTextContent(
      'Approved service-node-http:promo-admin-api for group:default/platform-team (break-glass: audited as critical, a review follows); approval is now approved.',
    );
  });

  it("shows the server's 403 when a non-member of the break-glass group tries it", async () => {
    const user = userEvent.setup();
    const api = new FakeGoldenPathsApi();
    api.inbox = [promoAdminApproval()];
    api.decideError = await responseError(
      403,
      'NotAllowedError',
      'GP-A04: You requested this change; someone else from group:default/platform-team must approve it.',
    );
    await renderWithApi(<ApprovalsInboxContent />, api);
    await user.click(
      await findEnabledButton(
        'Break-glass approve service-node-http:promo-admin-api',
      ),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Break-glass approve service-node-http:promo-admin-api',
    });
    await confirmAll(user, dialog);
    await typeReason(user, dialog, REASON);
    await user.click(
      within(dialog).getByRole('button', { name: 'Break-glass approve' }),
    );
    expect(
      await within(dialog).findByTestId('decision-server-error'),
    ).toHaveTextContent(
      /^GP-A04: You requested this change; someone else from group:default\/platform-team must approve it\.$/,
    );
    expect(api.calls).toContain('decide:apr_01JD0000000000000000000010');
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it("offers no break-glass on someone else's request", async () => {
    const user = userEvent.setup();
    await renderWithApi(<ApprovalsInboxContent />);
    const dialog = await openDialog(user);
    expect(
      within(dialog).getByRole('radio', { name: 'Approve' }),
    ).toBeChecked();
    expect(
      within(dialog).queryByRole('checkbox', { name: /Break-glass/ }),
    ).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('radio', { name: 'Reject' }));
    expect(
      within(dialog).queryByRole('checkbox', { name: /Break-glass/ }),
    ).not.toBeInTheDocument();
  });

  it('shows the empty state', async () => {
    const empty = new FakeGoldenPathsApi();
    empty.inbox = [];
    await renderWithApi(<ApprovalsInboxContent />, empty);
    expect(await screen.findByText('Nothing to decide')).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Waiting for your decision (0)' }),
    ).toBeInTheDocument();
    const mine = screen.getByRole('region', {
      name: 'Your requests awaiting approval (0)',
    });
    expect(mine).toHaveTextContent('None of your requests is waiting');
  });

  it('shows the backend error with a retry', async () => {
    const api = new FakeGoldenPathsApi();
    api.error = await responseError(500, 'Error', 'internal error');
    await renderWithApi(<ApprovalsInboxContent />, api);
    expect(
      await screen.findByRole('button', { name: 'Retry' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/internal error/)).toBeInTheDocument();
  });
  it('shows the prior rejections for the key next to each pending approval (§6.3)', async () => {
    const api = new FakeGoldenPathsApi();
    const rejection = {
      approvalId: 'apr_01JC0000000000000000000009',
      planDigest: `sha256:${'9'.repeat(64)}`,
      route: 'group:default/security-team',
      approver: 'user:default/sam.okafor',
      decision: 'reject' as const,
      reason: 'No WAF in front of it yet.',
      decidedAt: '2026-11-20T15:45:00.000Z',
      breakGlass: false,
    };
    api.inbox = [
      promoApproval({ priorRejections: [rejection] }),
      cartDbApproval(),
    ];
    api.inbox[1].priorRejections = [];
    await renderWithApi(<ApprovalsInboxContent />, api);

    const [promo, cartDb] = await screen.findAllByTestId('approval-item');
    expect(
      within(promo).getByRole('heading', {
        name: 'Prior rejections for this key (1)',
      }),
    ).toBeInTheDocument();
    const [item] = within(
      within(promo).getByRole('list', {
        name: 'Prior rejections of service-node-http:promo-api',
      }),
    ).getAllByRole('listitem');
    expect(item).toHaveTextContent(
      'group:default/security-team: rejected by user:default/sam.okafor on 2026-11-20 15:45 UTC (plan 999999999999…, approval apr_01JC0000000000000000000009): “No WAF in front of it yet.”',
    );
    expect(cartDb).toHaveTextContent(
      'None: no earlier approval of postgres-database:cart-db:prod was rejected.',
    );
  });
});
