import { act, fireEvent, render, screen } from '@testing-library/react';
import Button from '@material-ui/core/Button';
import { useFocusRing } from './useFocusRing';

function Buttons() {
  const ring = useFocusRing();
  return (
    <>
      {['Compute', 'Reset'].map(text => (
        <Button key={text} variant="outlined" focusVisibleClassName={ring}>
          {text}
        </Button>
      ))}
    </>
  );
}

describe('useFocusRing', () => {
  it('marks the button that has keyboard focus with an outline class, and only it', () => {
    render(<Buttons />);
    const [compute, reset] = screen.getAllByRole('button');
    // MUI shows focus as "visible" after a key press, as a Tab to the button is
    fireEvent.keyDown(document.body, { key: 'Tab' });
    act(() => compute.focus());
    expect(document.activeElement).toBe(compute);
    expect(compute.className).toMatch(/SuiteFocusRing-focusVisible/);
    expect(reset.className).not.toMatch(/SuiteFocusRing-focusVisible/);
  });
});
