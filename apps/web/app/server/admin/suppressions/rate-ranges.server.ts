import type { RateBucket } from '@herald/contract';

export type RateRange = { key: string; label: string; hours: number; bucket: RateBucket };

/** The windows the rate charts offer: hourly up to a week, daily beyond. */
export const RATE_RANGES: RateRange[] = [
  { key: '24h', label: 'Last 24 hours', hours: 24, bucket: 'hour' },
  { key: '7d', label: 'Last 7 days', hours: 7 * 24, bucket: 'hour' },
  { key: '30d', label: 'Last 30 days', hours: 30 * 24, bucket: 'day' },
  { key: '90d', label: 'Last 90 days', hours: 90 * 24, bucket: 'day' },
];

export const DEFAULT_RATE_RANGE = '7d';
