import type { ConfigApi } from '@backstage/frontend-plugin-api';
import {
  DEFAULT_PRICE_BOOK,
  PriceBookConfig,
  ResolvedPriceBook,
  applyPriceBookOverrides,
} from '@internal/plugin-cost-calculators-common';
import type {
  CostCalculatorsApi,
  CostCalculatorsContext,
} from './CostCalculatorsApi';

const DEFAULT_ANNOTATION_MAX_AGE_DAYS = 90;

/** Builds the calculators' context from app-config; no backend is involved (prices are frontend-visible config). */
export class CostCalculatorsClient implements CostCalculatorsApi {
  private readonly priceBook: ResolvedPriceBook;
  private readonly annotationMaxAgeDays: number;
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
    this.annotationMaxAgeDays =
      configApi.getOptionalNumber('costCalculators.annotationMaxAgeDays') ??
      DEFAULT_ANNOTATION_MAX_AGE_DAYS;
    this.baseUrl = configApi.getOptionalString('app.baseUrl') ?? '';
    this.now = options.now ?? (() => new Date());
    this.timeZone = options.timeZone;
  }

  async getContext(): Promise<CostCalculatorsContext> {
    return {
      asOf: calendarDate(this.now(), this.timeZone),
      priceBook: this.priceBook,
      annotationMaxAgeDays: this.annotationMaxAgeDays,
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
