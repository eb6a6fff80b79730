import type { Dec } from '../money';
import type { InputError } from '../types';
import type { EvalHelpers } from './defineCalculator';

/** Units meaning "per instance-hour": the default book writes `hour`, §2's input tables `USD/h`. */
export const HOURLY_UNITS: readonly string[] = ['hour', 'h'];

/**
 * The hourly price behind a `priceBookSku` input (C8, C15), or the field error saying why
 * it cannot be used. The unit is checked because a GiB-month or TiB price multiplied by
 * 730 hours still yields a plausible-looking monthly figure that means nothing.
 */
export function hourlyPriceOfSku(
  h: EvalHelpers,
  inputId: string,
  sku: string,
): { price: Dec } | { error: InputError } {
  const unit = h.pb.unitOf(sku);
  if (unit === undefined) {
    return {
      error: {
        input: 'priceBookSku',
        code: 'out_of_range',
        message: `priceBookSku ${sku} is not in price book ${h.pb.book.resolvedVersion}.`,
      },
    };
  }
  if (!HOURLY_UNITS.includes(unit)) {
    return {
      error: {
        input: 'priceBookSku',
        code: 'inconsistent',
        message: `priceBookSku ${sku} is priced per ${unit}; ${inputId} needs a price per hour.`,
      },
    };
  }
  return { price: h.price(inputId, undefined, sku) };
}
