import Typography from '@material-ui/core/Typography';
import { usePermission } from '@backstage/plugin-permission-react';

/**
 * What an action button may do before the user presses it, from the permission framework.
 * The backend stays the authority: this only spares the user a 403 it can predict.
 */
export interface PermissionGate {
  /** The button is disabled: the decision is still loading, or it is DENY. */
  disabled: boolean;
  /** The decision is DENY: the button says why (see {@link DeniedNote}). */
  denied: boolean;
}

/**
 * Asks the permission framework about an action (`usePermission`): disabled while the answer
 * loads (no flash of an enabled button), disabled and `denied` on DENY, enabled on ALLOW. When the
 * framework cannot be asked (its call fails) the button stays enabled and the backend decides,
 * as it did before the plugin asked first; its 403 message is shown as usual.
 */
export function usePermissionGate(
  request: Parameters<typeof usePermission>[0],
): PermissionGate {
  const { loading, allowed, error } = usePermission(request);
  if (error) return { disabled: false, denied: false };
  return { disabled: !allowed, denied: !loading && !allowed };
}

/**
 * The helper text under a denied action, naming the permission the user lacks; the button points
 * at it with `aria-describedby`, so screen readers hear why it is disabled.
 */
export function DeniedNote(props: { id: string; children: string }) {
  return (
    <Typography
      id={props.id}
      variant="caption"
      color="textSecondary"
      display="block"
      data-testid="permission-denied-note"
    >
      {props.children}
    </Typography>
  );
}
