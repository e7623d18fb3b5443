import { describe, expect, it } from 'vitest';
import { buildListUnsubscribeHeaders } from '../src/build-list-unsubscribe-headers.js';
import { preferenceLinks } from '../src/preference-links.js';

describe('buildListUnsubscribeHeaders', () => {
  const base = {
    publicWebUrl: 'https://prefs.example.com/',
    mailDomain: 'mail.example.com',
    categoryKey: 'newsletter',
    token: 'AbC_-9',
    mailtoToken: 'mzxw6ytb',
  };

  it('writes exactly the four headers of "Mail on the wire"', () => {
    expect(
      buildListUnsubscribeHeaders({ ...base, campaignId: '0199c1c4-6ad4-7000-8000-000000000001' }),
    ).toEqual({
      'List-Unsubscribe':
        '<https://prefs.example.com/u/AbC_-9>, <mailto:unsubscribe+mzxw6ytb@mail.example.com>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': '<newsletter.mail.example.com>',
      'Feedback-ID': '0199c1c4-6ad4-7000-8000-000000000001:newsletter:herald',
    });
  });

  it('marks mail outside a campaign as "tx" in Feedback-ID', () => {
    expect(buildListUnsubscribeHeaders(base)['Feedback-ID']).toBe('tx:newsletter:herald');
  });
});

describe('preferenceLinks', () => {
  it('builds every link from one token, with or without a trailing slash', () => {
    const expected = {
      unsubscribeUrl: 'http://localhost:3000/unsubscribe/t0k',
      preferencesUrl: 'http://localhost:3000/preferences/t0k',
      oneClickUrl: 'http://localhost:3000/u/t0k',
    };
    expect(preferenceLinks({ publicWebUrl: 'http://localhost:3000', token: 't0k' })).toEqual(expected);
    expect(preferenceLinks({ publicWebUrl: 'http://localhost:3000/', token: 't0k' })).toEqual(expected);
  });
});
