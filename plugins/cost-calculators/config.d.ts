export interface Config {
  /** Cost calculators (design note cost-calculators.md §3). Prices are not secret: the browser reads them. */
  costCalculators?: {
    /**
     * Age in days after which a dated annotation (`…-as-of`) or a dated cost fact gets a stale warning. Default 90.
     * A whole number of days from 1 to 3650; any other value (0, negative, fractional, text) is not used:
     * every calculator shows a notice naming this path and the default 90 applies. Text is accepted by
     * the schema for that reason (with `number` alone, `ninety` stopped the backend at start-up).
     * @visibility frontend
     */
    annotationMaxAgeDays?: number | string;
    /**
     * Overrides of the bundled price book. An invalid override is not applied and every result names its config path.
     * @deepVisibility frontend
     */
    priceBook?: {
      /**
       * Staleness limit for the prices a result uses, in days (the book's default is 180). Text is
       * accepted by the schema so that a typo reaches the cards' notice instead of stopping the app.
       */
      maxAgeDays?: number | string;
      /** Label appended to the book version when an override applies, e.g. `acme-ea` (required with overrides). */
      overrideLabel?: string;
      /**
       * Replacement prices for existing entry ids (price, effectiveDate, verifiedOn, source) or complete new entries.
       * Values are validated by the calculators, not here, so a typo surfaces in the card instead of stopping the app.
       */
      overrides?: Array<{
        id: string;
        price?: string | number;
        effectiveDate?: string;
        verifiedOn?: string;
        source?: string;
        provider?: string;
        service?: string;
        sku?: string;
        unit?: string;
        currency?: string;
        origin?: string;
      }>;
    };
  };
}
