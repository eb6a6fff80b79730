import { useEffect, useState } from 'react';

/**
 * The current time, renewed every `intervalMs` while the component is mounted: relative times
 * ("until 07:20 (in 20 min)", "3 min ago") on a page left open at 2 AM must not freeze at the
 * moment it was first drawn.
 */
export function useNow(intervalMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
