import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithEntity } from '../__testUtils__/renderWithEntity';
import {
  FakeIncidentBriefApi,
  captureClipboard,
  checkoutBrief,
  checkoutMarkdown,
} from '../__testUtils__/fixtures';
import { EntityIncidentBriefContent } from './IncidentBriefContent';
import { COPIED_TEXT } from './CopyBriefButton';

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
      'add `dependsOn: component:default/pricing-service`',
    );
    expect(rows[2]).toHaveTextContent('UNMAPPED_TELEMETRY');
    expect(screen.getByText(/Unmapped telemetry: tax-svc/)).toBeInTheDocument();
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
    expect(api.calls.find(c => c.method === 'getBriefMarkdown')).toMatchObject({
      entityRef: 'component:default/checkout-service',
    });
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
});
