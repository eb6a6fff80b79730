import type { AutoRetry } from '@internal/suite-react';

/**
 * The brief index registers an entity a little after the catalog shows its page (the index syncs
 * from the catalog; right after the portal starts that takes ~20 s). The page only renders for an
 * entity the catalog has, so a 404 from the brief API means "not indexed yet": wait and try again
 * instead of showing an error the user would have to dismiss by reloading.
 */
export const RETRY_NOT_YET_INDEXED: AutoRetry = {
  when: error =>
    (error as { response?: { status?: number } }).response?.status === 404,
  delaysMs: [1000, 2000, 4000, 8000, 10000],
};
