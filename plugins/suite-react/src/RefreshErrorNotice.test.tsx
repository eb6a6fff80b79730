import { fireEvent, render, screen } from '@testing-library/react';
import { RefreshErrorNotice } from './RefreshErrorNotice';

describe('RefreshErrorNotice', () => {
  it('says a reload is running and takes no second click until it answers', () => {
    const onRetry = jest.fn();
    const first = new Error('evidence backend unavailable');
    const { rerender } = render(
      <RefreshErrorNotice error={first} onRetry={onRetry} />,
    );
    // No jest-dom in this package: text and attributes are read directly.
    const button = screen.getByRole('button', { name: 'Reload' });
    button.focus();
    fireEvent.click(button);
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(button.textContent).toBe('Reloading…');
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(document.activeElement).toBe(button);
    fireEvent.click(button);
    expect(onRetry).toHaveBeenCalledTimes(1);

    // the reload failed again: a new error, and the button back
    rerender(
      <RefreshErrorNotice
        error={new Error('evidence backend unavailable')}
        onRetry={onRetry}
      />,
    );
    expect(
      screen
        .getByRole('button', { name: 'Reload' })
        .getAttribute('aria-disabled'),
    ).toBe('false');
    expect(screen.getByRole('alert').textContent).toContain(
      'Could not reload: evidence backend unavailable. What is shown may be out of date.',
    );
  });
});
