import { useState } from 'react';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import type { Waiver } from '@internal/plugin-scorecards-common';
import { layOutScrollRegion } from '@internal/suite-react';
import {
  FakeScorecardsApi,
  daysFromNow,
  responseError,
  waiver,
} from '../../__testUtils__/fixtures';
import { scorecardsApiRef } from '../../api';
import { WaiverTable } from './WaiverTable';

jest.setTimeout(30_000);

const pending = waiver({
  id: 'w-pending',
  checkId: 'rollback-exercised',
  status: 'pending',
  approvedBy: undefined,
  createdAt: daysFromNow(-1),
  expiresAt: daysFromNow(29),
});
const active = waiver({ id: 'w-active', expiresAt: daysFromNow(2) });
const expired = waiver({
  id: 'w-expired',
  checkId: 'runbook-present',
  expiresAt: daysFromNow(-1),
});

async function renderTable(
  waivers: Waiver[] = [pending, active, expired],
  user = 'user:default/ben.okafor',
) {
  const api = new FakeScorecardsApi();
  api.waivers = waivers;
  const onChanged = jest.fn();
  await renderInTestApp(
    <WaiverTable
      waivers={waivers}
      label="Waivers of checkout-service"
      showEntity
      checkInfo={id =>
        id === 'rollback-exercised'
          ? {
              title: 'Rollback exercised',
              class: 'required',
              level: 'L3',
              severity: 'medium',
            }
          : undefined
      }
      onChanged={onChanged}
    />,
    {
      apis: [
        [scorecardsApiRef, api],
        mockApis.identity({ userEntityRef: user }),
        mockApis.permission(),
      ],
    },
  );
  const table = await screen.findByRole('table', {
    name: 'Waivers of checkout-service',
  });
  // Revoke waits for the permission framework (allowed here) before a test presses it.
  await waitFor(() => {
    for (const b of within(table).queryAllByRole('button', {
      name: /^Revoke /,
    }))
      expect(b).toBeEnabled();
  });
  return { api, table, onChanged, user: userEvent.setup() };
}

describe('WaiverTable', () => {
  it('keeps the words of its headers and cells whole in a keyboard-reachable region that scrolls, so a narrow page does not break "Entity" into letters', async () => {
    const { table } = await renderTable();
    expect(
      screen.getByRole('region', {
        name: 'Waivers of checkout-service, scrollable',
      }),
    ).toContainElement(table);
    // every header and body cell (the check's cell is a th of its row)
    const cells = Array.from(table.querySelectorAll('th, td'));
    expect(cells).toHaveLength(8 * 4);
    for (const cell of cells) {
      expect(getComputedStyle(cell).wordBreak).toBe('normal');
    }
  });

  it('breaks a long URL in a reason, ticket or decision reason instead of widening the table, and shows that the table scrolls', async () => {
    const url = `https://tickets.example/browse/${'OPS-1234-'.repeat(12)}`;
    const { table } = await renderTable([
      { ...pending, reason: `Tracked in ${url}`, ticket: url },
      {
        ...active,
        decisionReason: `Approved as agreed in ${url}`,
        approvedBy: 'user:default/ana.ruiz',
      },
    ]);
    const reasonCell = within(table)
      .getByText(`Tracked in ${url}`)
      .closest('td')!;
    expect(reasonCell).toHaveTextContent(`Ticket: ${url}`);
    expect(getComputedStyle(reasonCell).overflowWrap).toBe('anywhere');
    // words stay whole: only a token longer than the column breaks
    expect(getComputedStyle(reasonCell).wordBreak).toBe('normal');
    expect(
      getComputedStyle(within(table).getByTestId('waiver-decision-reason'))
        .overflowWrap,
    ).toBe('anywhere');
    const region = screen.getByRole('region', {
      name: 'Waivers of checkout-service, scrollable',
    });
    // jsdom lays nothing out: the sizes are the browser's at a narrow window
    layOutScrollRegion(region, {
      scrollWidth: 1100,
      clientWidth: 700,
      scrollLeft: 0,
    });
    fireEvent.scroll(region);
    expect(screen.getByTestId('scroll-shadow-right')).toBeInTheDocument();
  });

  it('lists waivers with derived status, class and severity, requested duration and the actions each status allows', async () => {
    const { table } = await renderTable();
    const p = within(table).getByTestId('waiver-w-pending');
    expect(p).toHaveTextContent('component:default/checkout-service');
    expect(p).toHaveTextContent('Rollback exercised');
    expect(p).toHaveTextContent(
      'rollback-exercised · required · L3 · severity medium',
    );
    expect(p).toHaveTextContent('for 30 d');
    expect(within(p).getByTestId('waiver-status')).toHaveTextContent('pending');
    expect(
      within(p).getByRole('button', {
        name: 'Approve waiver on rollback-exercised',
      }),
    ).toBeEnabled();
    expect(
      within(p).getByRole('button', {
        name: 'Reject waiver on rollback-exercised',
      }),
    ).toBeEnabled();

    const a = within(table).getByTestId('waiver-w-active');
    expect(within(a).getByTestId('waiver-status')).toHaveTextContent('active');
    expect(
      within(a)
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Revoke']);
    // scorecards.waiver.revoke is allowed: enabled once the permission framework answers.
    await waitFor(() =>
      expect(
        within(a).getByRole('button', {
          name: 'Revoke waiver on dependencies-match-observed',
        }),
      ).toBeEnabled(),
    );
    expect(within(a).queryByTestId('permission-denied-note')).toBeNull();
    // An active waiver past its expiry is expired: no action, no longer counts.
    const e = within(table).getByTestId('waiver-w-expired');
    expect(within(e).getByTestId('waiver-status')).toHaveTextContent('expired');
    expect(within(e).queryAllByRole('button')).toEqual([]);
  });

  it('counts down in hours below a day and says in text when a waiver expires soon', async () => {
    const { table } = await renderTable([
      waiver({ id: 'w-hours', expiresAt: daysFromNow(12.5 / 24) }),
      waiver({ id: 'w-minutes', expiresAt: daysFromNow(0.5 / 24) }),
      waiver({ id: 'w-amber', expiresAt: daysFromNow(10.5) }),
      waiver({ id: 'w-calm', expiresAt: daysFromNow(20.5) }),
      pending,
    ]);
    const row = (id: string) => within(table).getByTestId(`waiver-${id}`);
    expect(row('w-hours')).toHaveTextContent('(in 12 h) · expiring very soon');
    expect(row('w-minutes')).toHaveTextContent(
      '(in < 1 h) · expiring very soon',
    );
    expect(row('w-amber')).toHaveTextContent('(in 10 d) · expiring soon');
    expect(row('w-calm')).toHaveTextContent('(in 20 d)');
    expect(row('w-calm')).not.toHaveTextContent('soon');
    // A pending waiver does not count down yet.
    expect(row('w-pending')).not.toHaveTextContent(/\(in |soon/);
  });

  it('approves a pending waiver, with every action disabled while the request runs', async () => {
    const { api, table, onChanged, user } = await renderTable();
    let release!: () => void;
    api.gate = new Promise(r => {
      release = r;
    });
    await user.click(
      within(table).getByRole('button', {
        name: 'Approve waiver on rollback-exercised',
      }),
    );
    for (const b of within(table).getAllByRole('button')) {
      expect(b).toBeDisabled();
    }
    release();
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    expect(api.waiverCalls).toEqual([
      { method: 'approveWaiver', id: 'w-pending', body: undefined },
    ]);
    expect(screen.getByRole('status')).toHaveTextContent(
      'Waiver on rollback-exercised (component:default/checkout-service) approved.',
    );
    expect(within(table).getAllByRole('button')[0]).toBeEnabled();
  });

  it('rejects with a required reason of at least 10 characters', async () => {
    const { api, table, onChanged, user } = await renderTable();
    await user.click(
      within(table).getByRole('button', {
        name: 'Reject waiver on rollback-exercised',
      }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Reject waiver' });
    const reason = within(dialog).getByRole('textbox', { name: /^Reason/ });
    expect(reason).toBeRequired();
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(dialog).toHaveTextContent(
      'Say why, so the requester knows what to change: at least 10 characters (0 so far).',
    );
    expect(reason).toHaveAttribute('aria-invalid', 'true');
    // Eight characters once trimmed are still too short.
    await user.type(reason, '  no drill  ');
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(reason).toHaveAccessibleDescription(
      'Say why, so the requester knows what to change: at least 10 characters (8 so far).',
    );
    expect(api.waiverCalls).toEqual([]);
    await user.clear(reason);
    await user.type(reason, '  Plan a drill first ');
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    expect(api.waiverCalls).toEqual([
      {
        method: 'rejectWaiver',
        id: 'w-pending',
        body: { reason: 'Plan a drill first' },
      },
    ]);
    expect(onChanged.mock.calls[0][0]).toMatchObject({
      status: 'rejected',
      decisionReason: 'Plan a drill first',
    });
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Reject waiver' }),
      ).not.toBeInTheDocument(),
    );
  });

  it('revokes an active waiver only with a reason', async () => {
    const { api, table, onChanged, user } = await renderTable();
    await user.click(
      within(table).getByRole('button', {
        name: 'Revoke waiver on dependencies-match-observed',
      }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Revoke waiver' });
    expect(dialog).toHaveTextContent('The waiver stops counting at once');
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    expect(dialog).toHaveTextContent('at least 10 characters (0 so far)');
    expect(api.waiverCalls).toEqual([]);
    await user.type(
      within(dialog).getByRole('textbox', { name: /^Reason/ }),
      'Pricing call removed; the check passes.',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    expect(api.waiverCalls).toEqual([
      {
        method: 'revokeWaiver',
        id: 'w-active',
        body: { reason: 'Pricing call removed; the check passes.' },
      },
    ]);
  });

  it('keeps the dialog open with the server’s 400 message verbatim and the typed reason', async () => {
    const { api, table, onChanged, user } = await renderTable();
    api.waiverError = await responseError(
      400,
      'reason must be at least 10 characters after trimming (got 9)',
    );
    await user.click(
      within(table).getByRole('button', {
        name: 'Revoke waiver on dependencies-match-observed',
      }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Revoke waiver' });
    const reason = within(dialog).getByRole('textbox', { name: /^Reason/ });
    await user.type(reason, 'Not needed any more.');
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent(
      'reason must be at least 10 characters after trimming (got 9)',
    );
    expect(reason).toHaveValue('Not needed any more.');
    expect(onChanged).not.toHaveBeenCalled();
    // Sending again (the error was one-off) succeeds and closes the dialog.
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    await waitFor(() =>
      expect(
        screen.queryByRole('dialog', { name: 'Revoke waiver' }),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      'Waiver on dependencies-match-observed (component:default/checkout-service) revoked.',
    );
  });

  it('shows who decided and why: approval note, rejection and revocation reasons, revoker', async () => {
    const approved = waiver({
      id: 'w-approved',
      checkId: 'runbook-present',
      approvedAt: daysFromNow(-9),
      decisionReason: 'Runbook lives in the old wiki until the move.',
    });
    const rejected = waiver({
      id: 'w-rejected',
      checkId: 'rollback-exercised',
      status: 'rejected',
      approvedBy: 'user:default/plat-lead',
      approvedAt: '2026-03-15T08:00:00.000Z',
      decisionReason: 'Plan a rollback drill first.',
    });
    const revoked = waiver({
      id: 'w-revoked',
      status: 'revoked',
      approvedAt: '2026-03-01T08:00:00.000Z',
      revokedAt: '2026-03-14T09:00:00.000Z',
      revokedBy: 'user:default/ana.ruiz',
      decisionReason: 'Pricing call removed; the check passes.',
    });
    // Revoked before reasons were stored (or closed automatically): no revoker, no reason.
    const legacy = waiver({
      id: 'w-legacy',
      checkId: 'slo-defined',
      status: 'revoked',
      approvedBy: undefined,
      revokedAt: '2026-03-10T09:00:00.000Z',
    });
    const { table } = await renderTable([
      pending,
      approved,
      rejected,
      revoked,
      legacy,
    ]);
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map(h => h.textContent),
    ).toEqual([
      'Entity',
      'Check',
      'Kind',
      'Status and decision',
      'Request reason',
      'Requested',
      'Expires',
      'Actions',
    ]);
    const decision = (id: string) =>
      within(within(table).getByTestId(`waiver-${id}`)).queryByTestId(
        'waiver-decision',
      );
    expect(decision('w-pending')).toBeNull();
    expect(decision('w-approved')).toHaveTextContent(
      `Approved by user:default/ben.okafor on ${daysFromNow(-9).slice(0, 10)}`,
    );
    expect(decision('w-approved')).toHaveTextContent(
      'Approval note: Runbook lives in the old wiki until the move.',
    );
    expect(decision('w-rejected')).toHaveTextContent(
      'Rejected by user:default/plat-lead on 2026-03-15',
    );
    expect(
      within(decision('w-rejected')!).getByTestId('waiver-decision-reason'),
    ).toHaveTextContent('Why rejected: Plan a rollback drill first.');
    expect(decision('w-revoked')).toHaveTextContent(
      'Approved by user:default/ben.okafor on 2026-03-01',
    );
    expect(decision('w-revoked')).toHaveTextContent(
      'Revoked by user:default/ana.ruiz on 2026-03-14',
    );
    expect(
      within(decision('w-revoked')!).getByTestId('waiver-decision-reason'),
    ).toHaveTextContent('Why revoked: Pricing call removed; the check passes.');
    expect(decision('w-legacy')).toHaveTextContent('Revoked on 2026-03-10');
    expect(
      within(decision('w-legacy')!).queryByTestId('waiver-decision-reason'),
    ).toBeNull();
  });

  it('shows the stored reason and revoker right after a revoke', async () => {
    const api = new FakeScorecardsApi();
    api.waivers = [active];
    api.decidedBy = 'user:default/ana.ruiz';
    function Reloading() {
      const [waivers, setWaivers] = useState<Waiver[]>(api.waivers);
      return (
        <WaiverTable
          waivers={waivers}
          label="Waivers"
          onChanged={() => setWaivers(api.waivers)}
        />
      );
    }
    await renderInTestApp(<Reloading />, {
      apis: [
        [scorecardsApiRef, api],
        mockApis.identity({ userEntityRef: 'user:default/ana.ruiz' }),
        mockApis.permission(),
      ],
    });
    const user = userEvent.setup();
    const revoke = await screen.findByRole('button', {
      name: 'Revoke waiver on dependencies-match-observed',
    });
    await waitFor(() => expect(revoke).toBeEnabled());
    await user.click(revoke);
    const dialog = await screen.findByRole('dialog', { name: 'Revoke waiver' });
    await user.type(
      within(dialog).getByRole('textbox', { name: /^Reason/ }),
      'Pricing call removed; the check passes.',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    const row = await screen.findByTestId('waiver-w-active');
    await waitFor(() =>
      expect(within(row).getByTestId('waiver-status')).toHaveTextContent(
        'revoked',
      ),
    );
    expect(within(row).getByTestId('waiver-decision')).toHaveTextContent(
      'Revoked by user:default/ana.ruiz',
    );
    expect(within(row).getByTestId('waiver-decision-reason')).toHaveTextContent(
      'Why revoked: Pricing call removed; the check passes.',
    );
  });

  it('shows a 403 as "You are not allowed to … (permission …)" with the server message', async () => {
    const { api, table, onChanged, user } = await renderTable();
    api.waiverError = await responseError(
      403,
      'scorecards.waiver.approve is not allowed on check rollback-exercised',
    );
    await user.click(
      within(table).getByRole('button', {
        name: 'Approve waiver on rollback-exercised',
      }),
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'You are not allowed to approve the waiver on rollback-exercised (permission scorecards.waiver.approve)',
    );
    expect(alert).toHaveTextContent(
      'scorecards.waiver.approve is not allowed on check rollback-exercised',
    );
    expect(onChanged).not.toHaveBeenCalled();

    api.waiverError = await responseError(
      403,
      'scorecards.waiver.revoke is not allowed',
    );
    await user.click(
      within(table).getByRole('button', {
        name: 'Revoke waiver on dependencies-match-observed',
      }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Revoke waiver' });
    await user.type(
      within(dialog).getByRole('textbox', { name: /^Reason/ }),
      'Not needed any more.',
    );
    await user.click(within(dialog).getByRole('button', { name: 'Revoke' }));
    await waitFor(() =>
      expect(within(dialog).getByRole('alert')).toHaveTextContent(
        'You are not allowed to revoke the waiver on dependencies-match-observed (permission scorecards.waiver.revoke)',
      ),
    );
  });

  it('offers "Withdraw request" only on the signed-in user’s own pending waivers (refs in any case), not gated by scorecards.waiver.revoke', async () => {
    const others = waiver({
      id: 'w-others',
      checkId: 'runbook-present',
      status: 'pending',
      approvedBy: undefined,
      requestedBy: 'user:default/ben.okafor',
    });
    // ana signs in with her ref spelt in another case; `active` is hers too
    const { table } = await renderTable(
      [pending, others, active],
      'user:default/Ana.Ruiz',
    );
    const own = within(table).getByTestId('waiver-w-pending');
    await waitFor(() =>
      expect(
        within(own).getByRole('button', {
          name: 'Withdraw request for waiver on rollback-exercised',
        }),
      ).toBeEnabled(),
    );
    // hers: no approving it
    expect(
      within(own).getByRole('button', {
        name: 'Approve waiver on rollback-exercised',
      }),
    ).toBeDisabled();
    expect(
      within(within(table).getByTestId('waiver-w-others')).queryByRole(
        'button',
        { name: /^Withdraw/ },
      ),
    ).toBeNull();
    // an approved waiver counts: ending it is a revoke, with the permission
    expect(
      within(within(table).getByTestId('waiver-w-active'))
        .getAllByRole('button')
        .map(b => b.textContent),
    ).toEqual(['Revoke']);
  });

  it('withdraws one’s own pending request with a required reason; the row then says who withdrew it and why, and the confirmation has the focus', async () => {
    const api = new FakeScorecardsApi();
    api.waivers = [pending];
    api.decidedBy = 'user:default/ana.ruiz';
    const onChanged = jest.fn();
    function Reloading() {
      const [waivers, setWaivers] = useState<Waiver[]>(api.waivers);
      return (
        <WaiverTable
          waivers={waivers}
          label="Waivers"
          onChanged={w => {
            onChanged(w);
            setWaivers(api.waivers);
          }}
        />
      );
    }
    await renderInTestApp(<Reloading />, {
      apis: [
        [scorecardsApiRef, api],
        mockApis.identity({ userEntityRef: 'user:default/ana.ruiz' }),
        mockApis.permission(),
      ],
    });
    const user = userEvent.setup();
    const withdraw = await screen.findByRole('button', {
      name: 'Withdraw request for waiver on rollback-exercised',
    });
    await user.click(withdraw);
    const dialog = await screen.findByRole('dialog', {
      name: 'Withdraw waiver request',
    });
    expect(dialog).toHaveTextContent(
      'Your request leaves the approvers’ queue and will never count.',
    );
    const reason = within(dialog).getByRole('textbox', {
      name: /^Why withdrawn/,
    });
    expect(reason).toBeRequired();
    await user.click(
      within(dialog).getByRole('button', { name: 'Withdraw request' }),
    );
    expect(reason).toHaveAccessibleDescription(
      'Say why, so approvers and your team know it is not needed: at least 10 characters (0 so far).',
    );
    expect(api.waiverCalls).toEqual([]);
    await user.type(reason, 'Requested on the wrong check.');
    await user.click(
      within(dialog).getByRole('button', { name: 'Withdraw request' }),
    );
    await waitFor(() => expect(onChanged).toHaveBeenCalledTimes(1));
    expect(api.waiverCalls).toEqual([
      {
        method: 'revokeWaiver',
        id: 'w-pending',
        body: { reason: 'Requested on the wrong check.' },
      },
    ]);
    const status = screen.getByRole('status');
    expect(status).toHaveTextContent(
      'Waiver request on rollback-exercised (component:default/checkout-service) withdrawn.',
    );
    const row = screen.getByTestId('waiver-w-pending');
    await waitFor(() =>
      expect(within(row).getByTestId('waiver-status')).toHaveTextContent(
        'revoked',
      ),
    );
    expect(within(row).queryAllByRole('button')).toEqual([]);
    expect(within(row).getByTestId('waiver-decision')).toHaveTextContent(
      'Withdrawn by user:default/ana.ruiz',
    );
    expect(within(row).getByTestId('waiver-decision-reason')).toHaveTextContent(
      'Why withdrawn: Requested on the wrong check.',
    );
    // the Withdraw button focus went back to is gone: the confirmation has it, not the page
    await waitFor(() => expect(status).toHaveFocus());
  });

  it('a withdrawal refused because the request was approved meanwhile shows why and reloads the list, so the row stops offering it', async () => {
    const { table, api, onChanged } = await renderTable(
      [pending],
      'user:default/ana.ruiz',
    );
    api.waiverError = await responseError(
      409,
      'waiver w-pending was approved meanwhile and now counts: a withdrawal ends only a pending request; revoking it needs scorecards.waiver.revoke',
    );
    const user = userEvent.setup();
    await user.click(
      await within(table).findByRole('button', {
        name: 'Withdraw request for waiver on rollback-exercised',
      }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Withdraw waiver request',
    });
    await user.type(
      within(dialog).getByRole('textbox', { name: /^Why withdrawn/ }),
      'Requested on the wrong check.',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Withdraw request' }),
    );
    await waitFor(() =>
      expect(within(dialog).getByRole('alert')).toHaveTextContent(
        'was approved meanwhile and now counts',
      ),
    );
    expect(onChanged).toHaveBeenCalledTimes(1);
    expect(onChanged).toHaveBeenCalledWith();
  });

  it('does not offer approval of one’s own request', async () => {
    const { table } = await renderTable([pending], 'user:default/ana.ruiz');
    const p = within(table).getByTestId('waiver-w-pending');
    await waitFor(() =>
      expect(
        within(p).getByRole('button', {
          name: 'Approve waiver on rollback-exercised',
        }),
      ).toBeDisabled(),
    );
    expect(p).toHaveTextContent('You requested it; someone else approves.');
  });
});
