import { collaborationInvite } from './collaboration-invite.js';
import { consentConfirmation } from './consent-confirmation.js';
import { consoleInvitation } from './console-invitation.js';
import { newsletter } from './newsletter.js';
import { policyUpdate } from './policy-update.js';
import { securitySignIn } from './security-sign-in.js';
import { serviceNotice } from './service-notice.js';
import { subscriptionConfirm } from './subscription-confirm.js';
import type { TemplateDefinition } from './template-definition.js';
import { webhookEndpointDisabled } from './webhook-endpoint-disabled.js';

export const seedTemplates: TemplateDefinition[] = [
  serviceNotice,
  securitySignIn,
  policyUpdate,
  collaborationInvite,
  newsletter,
  consentConfirmation,
  consoleInvitation,
  subscriptionConfirm,
  webhookEndpointDisabled,
];
