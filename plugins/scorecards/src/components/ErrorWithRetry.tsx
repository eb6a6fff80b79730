import Button from '@material-ui/core/Button';
import { ResponseErrorPanel } from '@backstage/core-components';

/** A failed read of a scorecards page or list: the backend's error and a Retry button. */
export function ErrorWithRetry(props: { error: Error; retry: () => void }) {
  return (
    <>
      <ResponseErrorPanel error={props.error} />
      <Button onClick={props.retry}>Retry</Button>
    </>
  );
}
