import { useRouteRefParams } from '@backstage/frontend-plugin-api';
import { decodeRequestKey, requestRouteRef } from '../routes';
import { ApprovalsInboxContent } from './ApprovalsInbox';
import { KillSwitchesContent } from './KillSwitches';
import { EntityLifecycleCard } from './LifecycleCard';
import { RequestDetailContent } from './RequestDetail';
import { RequestsListContent } from './RequestsList';
import { RoutedLinks } from './links';

// The new frontend system's page and card elements: the content with links resolved through
// the plugin's route refs (the page header is drawn by the app).

/** `/golden-paths/approvals`. */
export function ApprovalsPage() {
  return (
    <RoutedLinks>
      <ApprovalsInboxContent />
    </RoutedLinks>
  );
}

/** `/golden-paths/requests`. */
export function RequestsPage() {
  return (
    <RoutedLinks>
      <RequestsListContent />
    </RoutedLinks>
  );
}

/** `/golden-paths/requests/:key`. */
export function RequestPage() {
  const { key } = useRouteRefParams(requestRouteRef);
  return (
    <RoutedLinks>
      <RequestDetailContent
        requestKey={key === undefined ? undefined : decodeRequestKey(key)}
      />
    </RoutedLinks>
  );
}

/** `/golden-paths/kill-switches`. */
export function KillSwitchesPage() {
  return (
    <RoutedLinks>
      <KillSwitchesContent />
    </RoutedLinks>
  );
}

/** The Lifecycle entity card. */
export function LifecycleCard() {
  return (
    <RoutedLinks>
      <EntityLifecycleCard />
    </RoutedLinks>
  );
}
