import type { TemplateClass } from '../types.js';

export interface CategoryDefinition {
  key: string;
  name: string;
  description: string;
  class: TemplateClass;
  /** Only transactional categories may be required: nobody can opt out of them. */
  required: boolean;
  defaultSubscribed: boolean;
}

// Promotional categories start unsubscribed: promotional mail goes to people who asked for it
// (an import or sign-up records that consent in the log), never to everyone by default.
export const seedCategories: CategoryDefinition[] = [
  {
    key: 'security',
    name: 'Security',
    description: 'Sign-in links and alerts about your account’s security.',
    class: 'transactional',
    required: true,
    defaultSubscribed: true,
  },
  {
    key: 'policy-updates',
    name: 'Policy updates',
    description: 'Notice of changes to our terms and privacy policy before they take effect.',
    class: 'transactional',
    required: true,
    defaultSubscribed: true,
  },
  {
    key: 'service-notices',
    name: 'Service notices',
    description: 'Maintenance windows, incidents and changes to features you use.',
    class: 'transactional',
    required: false,
    defaultSubscribed: true,
  },
  {
    key: 'collaboration-invites',
    name: 'Collaboration invitations',
    description: 'Invitations from other people to join their workspaces.',
    class: 'transactional',
    required: false,
    defaultSubscribed: true,
  },
  {
    key: 'newsletter',
    name: 'Newsletter',
    description: 'A monthly round-up of what we shipped and what we learned.',
    class: 'promotional',
    required: false,
    defaultSubscribed: true,
  },
  {
    key: 'product-news',
    name: 'Product news',
    description: 'Announcements of new products and major features.',
    class: 'promotional',
    required: false,
    defaultSubscribed: true,
  },
  {
    key: 'promotions',
    name: 'Offers and promotions',
    description: 'Discounts, trials and event invitations.',
    class: 'promotional',
    required: false,
    defaultSubscribed: true,
  },
];
