import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';

/**
 * Says that reloading failed while the last good data stays on screen (`refreshError` of
 * `useAsyncResult`), with a way to try again.
 */
export function RefreshErrorNotice(props: {
  error: Error;
  onRetry: () => void;
}) {
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
        Could not reload: {props.error.message}. What is shown may be out of
        date.
      </Typography>
      <Button size="small" variant="outlined" onClick={props.onRetry}>
        Reload
      </Button>
    </Box>
  );
}
