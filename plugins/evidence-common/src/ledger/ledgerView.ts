/**
 * What a reader keeps of each entity's ledger (`POST /read`'s `ledgerView`): per environment,
 * kind, status and rollback-or-not the `perClass` newest changes, and per environment the newest
 * change of each of the `artifacts` newest artifacts its succeeded deploys shipped. The
 * scorecards catalog module asks for what its standard's checks read (`compactLedger` of
 * scorecards-common); the backend ranks it in SQL (`compactLedgerRows`).
 *
 * @public
 */
export interface LedgerView {
  perClass: number;
  artifacts: number;
}

/**
 * The largest `perClass` or `artifacts` the backend takes (whole numbers from 0): a client
 * sends no view beyond it, and reads the whole window instead.
 *
 * @public
 */
export const MAX_LEDGER_VIEW = 1000;
