/** Where the client keeps its tokens: `localStorage` in a browser, anything with the same
 * three methods elsewhere (`memoryStorage()` for tests and Node). */
export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export function memoryStorage(): TokenStorage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

const KEY = 'linli.tokens';

export function readTokens(storage: TokenStorage): Tokens | null {
  const raw = storage.getItem(KEY);
  if (!raw) return null;
  try {
    const tokens = JSON.parse(raw) as Tokens;
    return tokens.accessToken && tokens.refreshToken ? tokens : null;
  } catch {
    return null;
  }
}

export function writeTokens(storage: TokenStorage, tokens: Tokens | null): void {
  if (tokens) storage.setItem(KEY, JSON.stringify(tokens));
  else storage.removeItem(KEY);
}

/** Seconds since the epoch at which a JWT access token expires (its `exp`), or null. */
export function tokenExpiry(accessToken: string): number | null {
  const part = accessToken.split('.')[1];
  if (!part) return null;
  try {
    const json = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : null;
  } catch {
    return null;
  }
}
