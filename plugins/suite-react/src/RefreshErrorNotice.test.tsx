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

  it('moves the focus to what it was in when a successful reload removes it, not to the body', () => {
    const onRetry = jest.fn();
    const Card = (props: { failed: boolean }) => (
      <div data-testid="card">
        <p>Last change: 3 h ago</p>
        {props.failed && (
          <RefreshErrorNotice error={new Error('down')} onRetry={onRetry} />
        )}
      </div>
    );
    const { rerender } = render(<Card failed />);
    const button = screen.getByRole('button', { name: 'Reload' });
    button.focus();
    fireEvent.click(button);
    rerender(<Card failed={false} />);
    const card = screen.getByTestId('card');
    expect(document.activeElement).toBe(card);
    // focusable only while it holds the focus: no tab stop is left behind
    expect(card.getAttribute('tabindex')).toBe('-1');
    card.blur();
    expect(card.hasAttribute('tabindex')).toBe(false);
  });

  it('moves the focus to the title of the card it was in, when there is one', () => {
    const Card = (props: { failed: boolean }) => (
      <section>
        <h1>Service page</h1>
        <div>
          <h2>Last change</h2>
          <div>
            {props.failed && (
              <RefreshErrorNotice
                error={new Error('down')}
                onRetry={jest.fn()}
              />
            )}
          </div>
          <h3>Timeline</h3>
        </div>
      </section>
    );
    const { rerender } = render(<Card failed />);
    screen.getByRole('button', { name: 'Reload' }).focus();
    rerender(<Card failed={false} />);
    const title = screen.getByRole('heading', { name: 'Last change' });
    expect(document.activeElement).toBe(title);
    title.blur();
    expect(title.hasAttribute('tabindex')).toBe(false);
  });

  it('never lands on a heading of another card before it: without a title of its own, the card itself', () => {
    const Page = (props: { failed: boolean }) => (
      <main>
        <section aria-label="About">
          <h2>Owner</h2>
          <h2>Tags</h2>
        </section>
        <section aria-label="Last change" data-testid="card">
          <p>3 h ago</p>
          {props.failed && (
            <RefreshErrorNotice error={new Error('down')} onRetry={jest.fn()} />
          )}
        </section>
      </main>
    );
    const { rerender } = render(<Page failed />);
    screen.getByRole('button', { name: 'Reload' }).focus();
    rerender(<Page failed={false} />);
    expect(document.activeElement).toBe(screen.getByTestId('card'));
  });

  it('leaves the focus alone when it was elsewhere', () => {
    const Page = (props: { failed: boolean }) => (
      <div>
        <input aria-label="search" />
        <div data-testid="card">
          {props.failed && (
            <RefreshErrorNotice error={new Error('down')} onRetry={jest.fn()} />
          )}
        </div>
      </div>
    );
    const { rerender } = render(<Page failed />);
    const search = screen.getByRole('textbox', { name: 'search' });
    search.focus();
    rerender(<Page failed={false} />);
    expect(document.activeElement).toBe(search);
    expect(screen.getByTestId('card').hasAttribute('tabindex')).toBe(false);
  });
});
