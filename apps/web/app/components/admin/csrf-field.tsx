import { useConsole } from './use-console';

/** Every console form posts the session's CSRF token (requireAdminForm refuses it without). */
export function CsrfField() {
  return <input type="hidden" name="csrf" value={useConsole().csrf} />;
}
