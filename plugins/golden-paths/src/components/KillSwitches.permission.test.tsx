import { act } from 'react';
import { screen, within } from '@testing-library/react';
import {
  FakeGoldenPathsApi,
  ManualPermissionApi,
  renderWithApi,
} from '../__testUtils__/fixtures';
import { KillSwitchesContent } from './KillSwitches';

jest.setTimeout(30_000);

// Loading and DENY; ALLOW is in KillSwitches.test.tsx. usePermission caches a basic
// permission's decision for the whole test file, so each answer needs a file of its own.

const NEW = 'Disable or lift a switch…';
const LIFT = 'Lift goldenpath:register';

describe('KillSwitchesContent and goldenpaths.killswitch.manage', () => {
  it('disables every button that changes a switch while the permission loads, then names it on DENY; the switches stay readable', async () => {
    const permissions = new ManualPermissionApi();
    await renderWithApi(
      <KillSwitchesContent />,
      new FakeGoldenPathsApi(),
      undefined,
      {
        permissionApi: permissions,
      },
    );

    const table = await screen.findByRole('table', { name: 'Kill switches' });
    const runtime = within(table).getAllByTestId('kill-switch-row')[1];
    expect(within(runtime).getByRole('button', { name: LIFT })).toBeDisabled();
    expect(screen.getByRole('button', { name: NEW })).toBeDisabled();
    expect(new Set(permissions.requests)).toEqual(
      new Set(['goldenpaths.killswitch.manage -']),
    );
    expect(screen.queryByTestId('permission-denied-note')).toBeNull();

    await act(async () =>
      permissions.answer('goldenpaths.killswitch.manage', 'DENY'),
    );
    const text =
      'You may not change kill switches: it needs goldenpaths.killswitch.manage.';
    // One note for the page, which every such button points at.
    expect(
      await screen.findByTestId('permission-denied-note'),
    ).toHaveTextContent(text);
    expect(screen.getAllByTestId('permission-denied-note')).toHaveLength(1);
    for (const button of [
      screen.getByRole('button', { name: NEW }),
      within(runtime).getByRole('button', { name: LIFT }),
    ]) {
      expect(button).toBeDisabled();
      expect(button).toHaveAccessibleDescription(text);
    }
    expect(runtime).toHaveTextContent('catalog import storm, INC-5131');
  });
});
