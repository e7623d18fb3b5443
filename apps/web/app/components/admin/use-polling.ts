import { useEffect, useState } from 'react';

const INTERVAL_MS = 1000;

/**
 * The console's only script: while `isLive` says the data is still changing, fetch it from a JSON
 * resource route once a second and render again. Without JavaScript the page shows the state at
 * load time, and reloading it shows the current one.
 */
export function usePolling<T>(url: string, initial: T, isLive: (value: T) => boolean): T {
  const [value, setValue] = useState(initial);
  useEffect(() => setValue(initial), [initial]);
  const live = isLive(value);
  useEffect(() => {
    if (!live) return;
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const poll = async () => {
      try {
        const response = await fetch(url, { headers: { accept: 'application/json' } });
        if (response.ok && !stopped) setValue((await response.json()) as T);
      } catch {
        // A missed refresh is retried on the next tick.
      }
      if (!stopped) timer = setTimeout(poll, INTERVAL_MS);
    };
    timer = setTimeout(poll, INTERVAL_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [url, live]);
  return value;
}
