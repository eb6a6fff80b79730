import { act } from 'react';
import { screen, waitFor } from '@testing-library/react';
import {
  cartApiEntity,
  FakeGoldenPathsApi,
  ManualPermissionApi,
  renderWithApi,
} from '../__testUtils__/fixtures';
import { EntityLifecycleCard } from './LifecycleCard';

jest.setTimeout(30_000);

// Loading, DENY and an unreachable permission backend, each on its own entity: usePermission
// caches a decision per resource for the whole test file (ALLOW is in LifecycleCard.test.tsx).
const entityNamed = (name: string) => ({
  ...cartApiEntity,
  metadata: { ...cartApiEntity.metadata, name },
});

const START = 'Start promote with the lifecycle template';

describe('EntityLifecycleCard and goldenpaths.lifecycle.transition', () => {
  it('shows a disabled start while the permission loads, then names the permission on DENY; the gates stay readable', async () => {
    const permissions = new ManualPermissionApi();
    await renderWithApi(
      <EntityLifecycleCard />,
      new FakeGoldenPathsApi(),
      entityNamed('denied-api'),
      { permissionApi: permissions },
    );
    // The gates are a dry evaluation: shown whatever the permission says.
    await screen.findByRole('list', { name: 'Gates of promote' });
    expect(permissions.requests).toEqual([
      'goldenpaths.lifecycle.transition component:default/denied-api',
    ]);
    expect(screen.queryByRole('link', { name: START })).toBeNull();
    expect(screen.getByRole('button', { name: START })).toBeDisabled();
    expect(screen.queryByTestId('permission-denied-note')).toBeNull();

    await act(async () =>
      permissions.answer('goldenpaths.lifecycle.transition', 'DENY'),
    );
    const note = await screen.findByTestId('permission-denied-note');
    const text =
      'You may not run lifecycle transitions on component:default/denied-api: it needs goldenpaths.lifecycle.transition.';
    expect(note).toHaveTextContent(text);
    const start = screen.getByRole('button', { name: START });
    expect(start).toBeDisabled();
    expect(start).toHaveAccessibleDescription(text);
    expect(screen.queryByRole('link', { name: START })).toBeNull();
    // The transitions can still be chosen, to read their gates.
    expect(
      screen.getByRole('button', { name: 'deprecate to deprecated' }),
    ).toBeEnabled();
  });

  it('turns the disabled start into the template link once the permission answers ALLOW', async () => {
    const permissions = new ManualPermissionApi();
    await renderWithApi(
      <EntityLifecycleCard />,
      new FakeGoldenPathsApi(),
      entityNamed('allowed-later'),
      { permissionApi: permissions },
    );
    expect(await screen.findByRole('button', { name: START })).toBeDisabled();
    await act(async () =>
      permissions.answer('goldenpaths.lifecycle.transition', 'ALLOW'),
    );
    expect(await screen.findByRole('link', { name: START })).toHaveAttribute(
      'href',
      expect.stringContaining('/create/templates/default/lifecycle-transition'),
    );
  });

  it('leaves the link for the template to decide when the permission cannot be asked', async () => {
    const permissions = new ManualPermissionApi();
    await renderWithApi(
      <EntityLifecycleCard />,
      new FakeGoldenPathsApi(),
      entityNamed('permission-down'),
      { permissionApi: permissions },
    );
    await screen.findByRole('button', { name: START });
    await act(async () =>
      permissions.fail(
        'goldenpaths.lifecycle.transition',
        new Error('permission backend unavailable'),
      ),
    );
    await waitFor(() =>
      expect(screen.getByRole('link', { name: START })).toBeInTheDocument(),
    );
    expect(screen.queryByTestId('permission-denied-note')).toBeNull();
  });
});
