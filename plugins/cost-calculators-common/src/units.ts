import { dec } from './money';

/** Bytes in a TiB (2^40); BigQuery bills per TiB. */
export const TIB_BYTES = dec(2).pow(40);

/** Bytes in a GiB (2^30). */
export const GIB_BYTES = dec(2).pow(30);

/** Hours in a week (schedules are per week). */
export const HOURS_PER_WEEK = 168;

/** Seconds per hour (SEC = H × 3600). */
export const SECONDS_PER_HOUR = 3600;
