import { fileURLToPath } from 'node:url';

/** The repository's root folder: built apps are started from here, as `npm run start:*` does. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
