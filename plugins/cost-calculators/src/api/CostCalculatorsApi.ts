import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  OverrideError,
  ResolvedPriceBook,
} from '@internal/plugin-cost-calculators-common';

/** What every calculator needs besides its inputs: today, the effective price book and the annotation age limit. */
export interface CostCalculatorsContext {
  /** The date results are computed for (YYYY-MM-DD, UTC). */
  asOf: string;
  /** The bundled price book with the app-config overrides applied (invalid overrides listed, not applied). */
  priceBook: ResolvedPriceBook;
  /** `costCalculators.annotationMaxAgeDays`: a whole number of days from 1 to 3650, default 90. */
  annotationMaxAgeDays: number;
  /**
   * Settings outside the price book that were refused (an out-of-range
   * `costCalculators.annotationMaxAgeDays`, for which the default is used), by config path.
   */
  settingErrors: OverrideError[];
  /** `app.baseUrl`, for share links. */
  baseUrl: string;
}

/** Reads the effective price book and calculator settings. */
export interface CostCalculatorsApi {
  /** Resolves the context every calculator computes with. */
  getContext(): Promise<CostCalculatorsContext>;
}

/** API reference of {@link CostCalculatorsApi}. */
export const costCalculatorsApiRef = createApiRef<CostCalculatorsApi>().with({
  id: 'plugin.cost-calculators.service',
});
