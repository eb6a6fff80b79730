import { Route, Routes, useParams } from 'react-router-dom';
import { Header, Page } from '@backstage/core-components';
import { decodeRequestKey } from '../routes';
import { ApprovalsInboxContent } from './ApprovalsInbox';
import { KillSwitchesContent } from './KillSwitches';
import { RequestDetailContent } from './RequestDetail';
import { RequestsListContent } from './RequestsList';

// Legacy frontend system: the pages with their own header (the new system draws it itself);
// links use the default paths, so mount the pages at /golden-paths/approvals,
// /golden-paths/requests and /golden-paths/kill-switches.

/** The approvals inbox with its header. */
export function LegacyApprovalsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Approvals"
        subtitle="Golden-path requests waiting for your groups' decision"
      />
      <ApprovalsInboxContent />
    </Page>
  );
}

function LegacyRequestDetail() {
  const { key } = useParams();
  return (
    <RequestDetailContent
      requestKey={key === undefined ? undefined : decodeRequestKey(key)}
    />
  );
}

/** The requests list at its mount path and one request at `<mount path>/:key`. */
export function LegacyRequestsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Golden-path requests"
        subtitle="Plan, ledger, approvals and audit trail of every request"
      />
      <Routes>
        <Route path="/" element={<RequestsListContent />} />
        <Route path="/:key" element={<LegacyRequestDetail />} />
      </Routes>
    </Page>
  );
}

/** The kill switches with their header. */
export function LegacyKillSwitchesPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Golden-path kill switches"
        subtitle="Stop a template, an action or every golden path without a deploy"
      />
      <KillSwitchesContent />
    </Page>
  );
}
