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

  constructor(options: { configApi: ConfigApi; now?: () => Date }) {
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
  }

  async getContext(): Promise<CostCalculatorsContext> {
    return {
      asOf: this.now().toISOString().slice(0, 10),
      priceBook: this.priceBook,
      annotationMaxAgeDays: this.annotationMaxAgeDays,
      baseUrl: this.baseUrl,
    };
  }
}
