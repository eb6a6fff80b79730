import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithEntity } from '../__testUtils__/renderWithEntity';
import { T, v7Changes } from '../__testUtils__/fixtures';
import { ChangeTimeline } from './ChangeTimeline';

// the full test app renders slowly on a busy machine; 5 s is not enough there
jest.setTimeout(30_000);

/** `n` changes of a busy window, newest first as the backend orders them. */
function manyChanges(n: number) {
  const [item] = v7Changes.items;
  return Array.from({ length: n }, (_, i) => ({
    ...item,
    highlighted: false,
    inProgress: false,
    runningAtT: false,
    change: {
      ...item.change,
      id: `chg-${i}`,
      summary: `deploy ${i}`,
      effectiveAt: new Date(Date.parse(T) - i * 60_000).toISOString(),
    },
  }));
}

describe('ChangeTimeline', () => {
  it('shows the newest 25 of a busy window with the total, and more on request', async () => {
    await renderWithEntity(
      <ChangeTimeline items={manyChanges(2000)} incidentTime={new Date(T)} />,
    );
    const timeline = screen.getByRole('list', { name: 'Changes in window' });
    let items = within(timeline).getAllByTestId('change-item');
    expect(items).toHaveLength(25);
    expect(items[0]).toHaveTextContent('deploy 0');
    expect(items[24]).toHaveTextContent('deploy 24');
    expect(screen.getByRole('status')).toHaveTextContent(
      'Newest 25 of 2,000 changes shown',
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Show more (1,975 not shown)' }),
    );
    items = within(timeline).getAllByTestId('change-item');
    expect(items).toHaveLength(50);
    expect(items[49]).toHaveTextContent('deploy 49');
    // the first row revealed takes the focus: the button moved below it
    expect(items[25]).toHaveFocus();
    expect(screen.getByRole('status')).toHaveTextContent(
      'Newest 50 of 2,000 changes shown',
    );
    expect(
      screen.getByRole('button', { name: 'Show more (1,950 not shown)' }),
    ).toBeInTheDocument();
  });

  it('shows a ⚑ change running at T even when 25 newer ones came after it, and says so', async () => {
    const items = manyChanges(40);
    items[33] = { ...items[33], highlighted: true, runningAtT: true };
    await renderWithEntity(
      <ChangeTimeline items={items} incidentTime={new Date(T)} />,
    );
    const timeline = screen.getByRole('list', { name: 'Changes in window' });
    const shown = within(timeline).getAllByTestId('change-item');
    expect(shown).toHaveLength(26);
    expect(shown[25]).toHaveTextContent('deploy 33');
    expect(shown[25]).toHaveTextContent('⚑ running at T');
    expect(screen.getByRole('status')).toHaveTextContent(
      'Newest 25 of 40 changes shown, and 1 older ⚑ change',
    );
    expect(
      screen.getByRole('button', { name: 'Show more (14 not shown)' }),
    ).toBeInTheDocument();
  });

  it('shows a short window whole, without a count or a button', async () => {
    await renderWithEntity(<ChangeTimeline items={manyChanges(25)} />);
    expect(screen.getAllByTestId('change-item')).toHaveLength(25);
    expect(screen.queryByRole('status')).toBeNull();
    expect(screen.queryByRole('button', { name: /Show more/ })).toBeNull();
  });

  it('wraps a summary with a long unbreakable token instead of cutting it off', async () => {
    const digest = `registry.example/checkout@sha256:${'a1b2c3d4'.repeat(8)}`;
    const [item] = manyChanges(1);
    await renderWithEntity(
      <ChangeTimeline
        items={[{ ...item, change: { ...item.change, summary: digest } }]}
      />,
    );
    expect(getComputedStyle(screen.getByText(digest)).overflowWrap).toBe(
      'anywhere',
    );
  });
});
