import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';

/**
 * Says that reloading failed while the last good data stays on screen (`refreshError` of
 * `useAsyncResult`), with a way to try again. While that try runs the button says so and takes
 * no second click (the notice stays until the reload answers: a success removes it, a failure
 * brings a new error and the button back); it keeps the focus (`aria-disabled`, not `disabled`),
 * and when a successful reload removes the notice the focus moves to what it was in.
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
  // It moves to what the notice was in. A layout effect's clean-up runs while the notice is
  // still in the document, so whether it held the focus can be read.
  useLayoutEffect(() => {
    const notice = box.current;
    return () => {
      const container = notice?.parentElement;
      if (!notice || !container || !notice.contains(document.activeElement))
        return;
      if (container.tabIndex < 0 && !container.hasAttribute('tabindex')) {
        container.setAttribute('tabindex', '-1');
        container.addEventListener(
          'blur',
          () => container.removeAttribute('tabindex'),
          { once: true },
        );
      }
      container.focus();
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
