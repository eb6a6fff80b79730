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
  // It moves to the title of the card or section the notice was in, else to that card itself. A layout effect's clean-up runs while the notice is still in the
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

/** What bounds the search for a title: the card, section or page region the notice is in. */
const BOUNDARY = '.MuiCard-root, section, article, [role="region"]';

/**
 * Where the focus goes when `notice` leaves with it: the last heading before it inside the card,
 * section or region it is in (its title), else that boundary itself; with no boundary, the
 * element it is in. Never a heading of another card before it on the page (the About card's
 * field labels are `h2`s): a screen reader would announce an unrelated card.
 */
function focusTargetFor(notice: HTMLElement): HTMLElement | null {
  const boundary = notice.parentElement?.closest<HTMLElement>(BOUNDARY);
  const scope = boundary ?? notice.parentElement;
  if (!scope) return null;
  let before: HTMLElement | undefined;
  for (const heading of scope.querySelectorAll<HTMLElement>(HEADINGS)) {
    if (
      !notice.contains(heading) &&
      heading.compareDocumentPosition(notice) & Node.DOCUMENT_POSITION_FOLLOWING
    ) {
      before = heading;
    }
  }
  return before ?? scope;
}
