/** What the scenarios POST: the seed templates with the data each one needs. */
export const messageBodies = {
  signIn: (email: string) => ({
    template: 'security-sign-in',
    to: { email },
    data: { signInUrl: 'https://app.example.com/sign-in/faults', expiresInMinutes: 15 },
  }),
  notice: (email: string) => ({
    template: 'service-notice',
    to: { email },
    data: { title: 'Maintenance', body: 'Read-only for 20 minutes.' },
  }),
  newsletter: (email: string) => ({ template: 'newsletter', to: { email }, data: NEWSLETTER_DATA }),
};

export const NEWSLETTER_DATA = {
  headline: 'Fault news',
  intro: 'Nothing lost, nothing doubled.',
  articles: [{ title: 'Survival', summary: 'Workers die; mail does not.', url: 'https://example.com/s' }],
};
