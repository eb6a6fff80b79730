import type { ConfigApi } from '@backstage/frontend-plugin-api';
import {
  DEFAULT_PRICE_BOOK,
  OverrideError,
  PriceBookConfig,
  ResolvedPriceBook,
  applyPriceBookOverrides,
  readAnnotationMaxAgeDays,
} from '@internal/plugin-cost-calculators-common';
import type {
  CostCalculatorsApi,
  CostCalculatorsContext,
} from './CostCalculatorsApi';

/** Builds the calculators' context from app-config; no backend is involved (prices are frontend-visible config). */
export class CostCalculatorsClient implements CostCalculatorsApi {
  private readonly priceBook: ResolvedPriceBook;
  private readonly annotationMaxAgeDays: number;
  private readonly settingErrors: OverrideError[];
  private readonly baseUrl: string;
  private readonly now: () => Date;
  private readonly timeZone?: string;

  constructor(options: {
    configApi: ConfigApi;
    now?: () => Date;
    /** IANA zone of "today"; the browser's own when absent. */
    timeZone?: string;
  }) {
    const { configApi } = options;
    // Raw config on purpose: the common package validates overrides and reports each bad one by path.
    const priceBookConfig = (configApi.getOptional<PriceBookConfig>(
      'costCalculators.priceBook',
    ) ?? {}) as PriceBookConfig;
    this.priceBook = applyPriceBookOverrides(
      DEFAULT_PRICE_BOOK,
      priceBookConfig,
    );
    // Raw too: the common package range-checks the limit (getOptionalNumber would throw on
    // text and pass 0, a negative number or NaN through) and falls back to 90 with an error.
    const maxAge = readAnnotationMaxAgeDays(
      configApi.getOptional('costCalculators.annotationMaxAgeDays'),
    );
    this.annotationMaxAgeDays = maxAge.days;
    this.settingErrors = maxAge.error ? [maxAge.error] : [];
    this.baseUrl = configApi.getOptionalString('app.baseUrl') ?? '';
    this.now = options.now ?? (() => new Date());
    this.timeZone = options.timeZone;
  }

  async getContext(): Promise<CostCalculatorsContext> {
    return {
      asOf: calendarDate(this.now(), this.timeZone),
      priceBook: this.priceBook,
      annotationMaxAgeDays: this.annotationMaxAgeDays,
      settingErrors: this.settingErrors,
      baseUrl: this.baseUrl,
    };
  }
}

/**
 * The user's calendar date, not UTC's: "today" on a calculator is the day the person at the
 * screen sees (at 20:00 in New York the UTC date is already tomorrow).
 */
function calendarDate(d: Date, timeZone: string | undefined): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(d);
  const part = (type: string) => parts.find(p => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}
