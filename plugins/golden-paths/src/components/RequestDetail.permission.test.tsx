import { act } from 'react';
import { screen } from '@testing-library/react';
import {
  FakeGoldenPathsApi,
  ManualPermissionApi,
  renderWithApi,
} from '../__testUtils__/fixtures';
import { RequestDetailContent } from './RequestDetail';

jest.setTimeout(30_000);

// Loading and DENY; ALLOW is in CompensateDialog.test.tsx. usePermission caches a basic
// permission's decision for the whole test file, so each answer needs a file of its own.

const KEY = 'service-node-http:cart-api';

describe('Compensate…, Repair… and goldenpaths.request.compensate', () => {
  it('are disabled while the permission loads, then name it on DENY; the request stays readable', async () => {
    const permissions = new ManualPermissionApi();
    const api = new FakeGoldenPathsApi();
    await renderWithApi(
      <RequestDetailContent requestKey={KEY} />,
      api,
      undefined,
      {
        permissionApi: permissions,
      },
    );

    const compensate = await screen.findByRole('button', {
      name: `Compensate ${KEY}`,
    });
    expect(compensate).toBeDisabled();
    const repairs = screen.getAllByRole('button', { name: /^Repair step / });
    expect(repairs).toHaveLength(2);
    for (const repair of repairs) expect(repair).toBeDisabled();
    // One question for both actions: step repair is §8 rollback under the same permission.
    expect(permissions.requests).toEqual(['goldenpaths.request.compensate -']);
    expect(screen.queryByTestId('permission-denied-note')).toBeNull();

    await act(async () =>
      permissions.answer('goldenpaths.request.compensate', 'DENY'),
    );
    const text =
      'You may not compensate requests: it needs goldenpaths.request.compensate.';
    const notes = await screen.findAllByTestId('permission-denied-note');
    expect(notes.map(n => n.textContent)).toEqual([
      text,
      'You may not repair steps: it needs goldenpaths.request.compensate.',
    ]);
    const denied = screen.getByRole('button', { name: `Compensate ${KEY}` });
    expect(denied).toBeDisabled();
    expect(denied).toHaveAccessibleDescription(text);
    const repairText =
      'You may not repair steps: it needs goldenpaths.request.compensate.';
    for (const name of ['publish-local', 'register']) {
      const repair = screen.getByRole('button', {
        name: `Repair step ${name}`,
      });
      expect(repair).toBeDisabled();
      expect(repair).toHaveAccessibleDescription(repairText);
    }
    expect(screen.getByTestId('request-status')).toHaveTextContent('succeeded');
    // Nothing was asked of the backend's compensation route.
    expect(api.calls).toEqual([`getRequest:${KEY}`]);
  });
});
