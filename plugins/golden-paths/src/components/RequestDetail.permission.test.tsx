import { act, screen } from '@testing-library/react';
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

describe('Compensate… and goldenpaths.request.compensate', () => {
  it('is disabled while the permission loads, then names it on DENY; the request stays readable', async () => {
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
    expect(permissions.requests).toEqual(['goldenpaths.request.compensate -']);
    expect(screen.queryByTestId('permission-denied-note')).toBeNull();

    await act(async () =>
      permissions.answer('goldenpaths.request.compensate', 'DENY'),
    );
    const text =
      'You may not compensate requests: it needs goldenpaths.request.compensate.';
    expect(
      await screen.findByTestId('permission-denied-note'),
    ).toHaveTextContent(text);
    const denied = screen.getByRole('button', { name: `Compensate ${KEY}` });
    expect(denied).toBeDisabled();
    expect(denied).toHaveAccessibleDescription(text);
    expect(screen.getByTestId('request-status')).toHaveTextContent('succeeded');
    // Nothing was asked of the backend's compensation route.
    expect(api.calls).toEqual([`getRequest:${KEY}`]);
  });
});
