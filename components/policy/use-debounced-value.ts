"use client";

import { useEffect, useState } from "react";

/** `value` once it has stopped changing for `delay` milliseconds: checks run when typing pauses, not per keystroke. */
export function useDebouncedValue<T>(value: T, delay: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return debounced;
}
