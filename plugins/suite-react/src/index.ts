/**
 * What the suite's frontend plugins share.
 *
 * @packageDocumentation
 */
export { useAsyncResult } from './useAsyncResult';
export type { AsyncResult, AutoRetry } from './useAsyncResult';
export { useNow } from './useNow';
export { useRefreshWhileVisible } from './useRefreshWhileVisible';
export { useRevealedRowFocus } from './useRevealedRowFocus';
export { RefreshErrorNotice } from './RefreshErrorNotice';
export { LabelledSelect } from './LabelledSelect';
export { httpHref } from './httpHref';
export { isEntityRef } from './isEntityRef';
export { usePermissionGate, DeniedNote } from './permissionGate';
export type { PermissionGate } from './permissionGate';
export { WholeWordsCell } from './WholeWordsCell';
export { WholeWordsHead } from './WholeWordsHead';
export type { WholeWordsColumn } from './WholeWordsHead';
export { ScrollRegion } from './ScrollRegion';
export { CARD_TITLE_HEADING } from './cardTitleHeading';
export { useFocusRing } from './useFocusRing';
// For the plugins' tests: a permission API that answers when the test says so.
export { ManualPermissionApi } from './testing/ManualPermissionApi';
export { layOutScrollRegion } from './testing/layOutScrollRegion';
export { recordImplicitRoutingWarnings } from './testing/implicitRoutingWarnings';
