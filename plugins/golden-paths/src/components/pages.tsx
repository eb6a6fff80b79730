import { ReactNode } from 'react';
import { ReactRouterV6PageRouter } from '@backstage/frontend-adapter-react-router-v6';
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

/**
 * A page's content with its links resolved through the route refs, and React Router's context
 * given to it explicitly: core-components' `Link` is a React Router link, and without the
 * adapter the app warns that the page "uses implicit React Router v6 routing" (frontend-app-api
 * 0.17). The adapter renders its children untouched where there is no page mount (tests).
 */
function Page(props: { children: ReactNode }) {
  return (
    <ReactRouterV6PageRouter>
      <RoutedLinks>{props.children}</RoutedLinks>
    </ReactRouterV6PageRouter>
  );
}

/** `/golden-paths/approvals`. */
export function ApprovalsPage() {
  return (
    <Page>
      <ApprovalsInboxContent />
    </Page>
  );
}

/** `/golden-paths/requests`. */
export function RequestsPage() {
  return (
    <Page>
      <RequestsListContent />
    </Page>
  );
}

/** `/golden-paths/requests/:key`. */
export function RequestPage() {
  const { key } = useRouteRefParams(requestRouteRef);
  return (
    <Page>
      <RequestDetailContent
        requestKey={key === undefined ? undefined : decodeRequestKey(key)}
      />
    </Page>
  );
}

/** `/golden-paths/kill-switches`. */
export function KillSwitchesPage() {
  return (
    <Page>
      <KillSwitchesContent />
    </Page>
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
