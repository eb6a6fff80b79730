import { fireEvent, render, screen, within } from '@testing-library/react';
import { LabelledSelect } from './LabelledSelect';

describe('LabelledSelect', () => {
  it('is named by its label and its value, and hands back the option chosen with its type', () => {
    const onChange = jest.fn();
    render(
      <LabelledSelect
        id="hops"
        label="Hops"
        value={3}
        options={[1, 2, 3]}
        optionLabel={n => `${n} hops`}
        onChange={onChange}
      />,
    );
    const select = screen.getByRole('button', { name: 'Hops 3 hops' });
    fireEvent.mouseDown(select);
    const listbox = screen.getByRole('listbox', { name: 'Hops' });
    fireEvent.click(within(listbox).getByRole('option', { name: '2 hops' }));
    expect(onChange).toHaveBeenCalledWith(2);
  });

  it('keeps its label on one line, so a label wider than the select does not wrap over the value', () => {
    render(
      <LabelledSelect
        id="window"
        label="Changes window"
        value="24h"
        options={['24h', '7d']}
        variant="standard"
        minWidth={90}
        onChange={() => {}}
      />,
    );
    expect(
      screen.getByText('Changes window', { selector: 'label' }).style
        .whiteSpace,
    ).toBe('nowrap');
  });

  it('shows each option by itself without an optionLabel', () => {
    render(
      <LabelledSelect
        id="state"
        label="State"
        value="fail"
        options={['pass', 'fail']}
        variant="standard"
        onChange={() => {}}
      />,
    );
    fireEvent.mouseDown(screen.getByRole('button', { name: 'State fail' }));
    expect(
      within(screen.getByRole('listbox'))
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual(['pass', 'fail']);
  });
  it("shows an empty value that is one of the options by its label, with the select's label above", () => {
    render(
      <LabelledSelect
        id="kind"
        label="Kind"
        value=""
        options={['', 'Component', 'Resource']}
        optionLabel={k => k || 'Any kind'}
        onChange={() => {}}
      />,
    );
    expect(
      screen.getByRole('button', { name: 'Kind Any kind' }).textContent,
    ).toBe('Any kind');
    expect(
      screen
        .getByText('Kind', { selector: 'label' })
        .getAttribute('data-shrink'),
    ).toBe('true');
  });
});
