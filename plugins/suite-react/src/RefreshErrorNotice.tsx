import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';

/**
 * Says that reloading failed while the last good data stays on screen (`refreshError` of
 * `useAsyncResult`), with a way to try again. While that try runs the button says so and takes
 * no second click (the notice stays until the reload answers: a success removes it, a failure
 * brings a new error and the button back); it keeps the focus (`aria-disabled`, not `disabled`),
 * and when a successful reload removes the notice the focus moves to the heading of what it was
 * in.
 */
export function RefreshErrorNotice(props: {
  error: Error;
  onRetry: () => void;
}) {
  const { error, onRetry } = props;
  const [reloading, setReloading] = useState(false);
  // a new failure is the answer to the reload that was running
  useEffect(() => setReloading(false), [error]);
  const box = useRef<HTMLDivElement>(null);
  // A reload that succeeds removes the notice with the button that had the focus, which would
  // fall to the page's body: a keyboard or screen-reader user would start over from the top.
  // It moves to the heading of what the notice was in (the card's or the page's title), else to
  // the element it was in. A layout effect's clean-up runs while the notice is still in the
  // document, so whether it held the focus can be read.
  useLayoutEffect(() => {
    const notice = box.current;
    return () => {
      if (!notice || !notice.contains(document.activeElement)) return;
      const target = focusTargetFor(notice);
      if (!target) return;
      if (target.tabIndex < 0 && !target.hasAttribute('tabindex')) {
        target.setAttribute('tabindex', '-1');
        target.addEventListener(
          'blur',
          () => target.removeAttribute('tabindex'),
          { once: true },
        );
      }
      target.focus({ preventScroll: true });
    };
  }, []);
  return (
    <Box
      // @ts-expect-error Box forwards its ref (MUI v4 types omit it)
      ref={box}
      role="alert"
      mb={2}
      display="flex"
      alignItems="center"
      flexWrap="wrap"
      style={{ gap: 8 }}
      data-testid="refresh-error"
    >
      <Typography variant="body2" color="error">
        Could not reload: {error.message}. What is shown may be out of date.
      </Typography>
      <Button
        size="small"
        variant="outlined"
        aria-disabled={reloading}
        onClick={() => {
          if (reloading) return;
          setReloading(true);
          onRetry();
        }}
      >
        {reloading ? 'Reloading…' : 'Reload'}
      </Button>
    </Box>
  );
}

const HEADINGS = 'h1, h2, h3, h4, h5, h6, [role="heading"]';

/**
 * Where the focus goes when `notice` leaves with it: the last heading before it in the nearest
 * element around it that has one (the title of its card, else of its section or page), so a
 * screen reader reads a title rather than a whole page; else the element it is in.
 */
function focusTargetFor(notice: HTMLElement): HTMLElement | null {
  for (let el = notice.parentElement; el; el = el.parentElement) {
    let before: HTMLElement | undefined;
    for (const heading of el.querySelectorAll<HTMLElement>(HEADINGS)) {
      if (
        !notice.contains(heading) &&
        heading.compareDocumentPosition(notice) &
          Node.DOCUMENT_POSITION_FOLLOWING
      ) {
        before = heading;
      }
    }
    if (before) return before;
  }
  return notice.parentElement;
}
