import { z } from 'zod';

/** Links in mail must be web links: a `javascript:` or `data:` URL in an href is an attack. */
export const WebUrlSchema = z.url({ protocol: /^https?$/ });
