import { describe, expect, it } from 'vitest';
import { CreatePolicySchema, dateTimeInstant } from '../src/index.js';

describe('a request date-time', () => {
  it('with an offset is that instant, whatever the zone', () => {
    expect(dateTimeInstant('2030-01-15T09:00:00Z', 'Europe/Paris')?.toISOString()).toBe(
      '2030-01-15T09:00:00.000Z',
    );
    expect(dateTimeInstant('2030-01-15T09:00:00+02:00', 'UTC')?.toISOString()).toBe(
      '2030-01-15T07:00:00.000Z',
    );
  });

  it('without one is a wall-clock time in the zone, on both sides of a DST change', () => {
    expect(dateTimeInstant('2030-01-15T09:00', 'Europe/Paris')?.toISOString()).toBe(
      '2030-01-15T08:00:00.000Z',
    );
    expect(dateTimeInstant('2030-07-15T09:00', 'Europe/Paris')?.toISOString()).toBe(
      '2030-07-15T07:00:00.000Z',
    );
    expect(dateTimeInstant('2030-07-15T09:00:30', 'America/New_York')?.toISOString()).toBe(
      '2030-07-15T13:00:30.000Z',
    );
  });

  it('is null for impossible dates and unknown zones', () => {
    expect(dateTimeInstant('2030-02-30T09:00', 'UTC')).toBeNull();
    expect(dateTimeInstant('2030-01-15T24:00', 'UTC')).toBeNull();
    expect(dateTimeInstant('2030-01-15T09:00', 'Not/AZone')).toBeNull();
    expect(dateTimeInstant('next tuesday', 'UTC')).toBeNull();
  });
});

describe('a policy version request', () => {
  const body = {
    version: '2030-01',
    title: 'Privacy policy',
    summary: 'What changes.',
    url: 'https://example.com/privacy',
  };

  it('carries the instant its effectiveAt names in its time zone', () => {
    const parsed = CreatePolicySchema.parse({
      ...body,
      effectiveAt: '2030-07-01T00:00',
      timezone: 'Europe/Berlin',
    });
    expect(parsed.effectiveAt.toISOString()).toBe('2030-06-30T22:00:00.000Z');
    expect(
      CreatePolicySchema.parse({ ...body, effectiveAt: '2030-07-01T00:00:00Z' }).effectiveAt.toISOString(),
    ).toBe('2030-07-01T00:00:00.000Z');
  });

  it('names the field that is wrong', () => {
    const badZone = CreatePolicySchema.safeParse({
      ...body,
      effectiveAt: '2030-07-01T00:00',
      timezone: 'Mars/Olympus',
    });
    expect(badZone.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['timezone']);
    const badDate = CreatePolicySchema.safeParse({ ...body, effectiveAt: '2030-07-01' });
    expect(badDate.error?.issues.map((issue) => issue.path.join('.'))).toEqual(['effectiveAt']);
  });
});
