import { useEffect, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';

/**
 * Says that reloading failed while the last good data stays on screen (`refreshError` of
 * `useAsyncResult`), with a way to try again. While that try runs the button says so and takes
 * no second click (the notice stays until the reload answers: a success removes it, a failure
 * brings a new error and the button back); it keeps the focus (`aria-disabled`, not `disabled`).
 */
export function RefreshErrorNotice(props: {
  error: Error;
  onRetry: () => void;
}) {
  const { error, onRetry } = props;
  const [reloading, setReloading] = useState(false);
  // a new failure is the answer to the reload that was running
  useEffect(() => setReloading(false), [error]);
  return (
    <Box
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
