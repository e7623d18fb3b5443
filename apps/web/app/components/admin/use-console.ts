import { useRouteLoaderData } from '@remix-run/react';

/** The signed-in console user and the session's CSRF token, from the `/admin` layout's loader. */
export function useConsole(): { email: string; csrf: string } {
  const data = useRouteLoaderData<{ email: string; csrf: string }>('routes/admin');
  if (!data) throw new Error('useConsole is only for pages inside the /admin layout');
  return data;
}
