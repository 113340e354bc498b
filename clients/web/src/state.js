// A tiny observable value (no extra dependency): components re-render through useValue.
import { useEffect, useState } from 'preact/hooks';

export function signalish(initial) {
  const listeners = new Set();
  let current = initial;
  return {
    get value() { return current; },
    set value(next) { current = next; listeners.forEach((l) => l(next)); },
    listen(listener) { listeners.add(listener); return () => listeners.delete(listener); },
  };
}

export function useValue(signal) {
  const [, set] = useState(0);
  useEffect(() => signal.listen(() => set((n) => n + 1)), [signal]);
  return signal.value;
}
