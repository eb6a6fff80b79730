import defaultPriceBookJson from './default-price-book.json';
import { PriceBook, priceBookSchema } from './priceBookSchema';

/**
 * The bundled price book (v2026.11.0), validated at load so that a bad edit
 * to the JSON fails every test instead of producing wrong prices.
 */
export const DEFAULT_PRICE_BOOK: PriceBook =
  priceBookSchema.parse(defaultPriceBookJson);
