import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import type { FailureView } from './apiErrors';

/** A failed backend call: headline (403) and the server's message verbatim, announced as an alert. */
export function FailureAlert(props: { failure: FailureView | undefined }) {
  const f = props.failure;
  if (!f) return null;
  return (
    <Alert severity="error" role="alert" data-testid="waiver-failure">
      {f.title && <AlertTitle>{f.title}</AlertTitle>}
      {f.message}
    </Alert>
  );
}
