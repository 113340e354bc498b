import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type GraphQLFormattedError } from 'graphql';
import { createClient, type Client as WsClient } from 'graphql-ws';

import { LinliError, codeOf } from './errors.js';
import {
  LoginDocument,
  LoginWithCodeDocument,
  LogoutDocument,
  RefreshTokenDocument,
  RequestLoginCodeDocument,
} from './gql/graphql.js';
import persistedDocuments from './gql/persisted-documents.json' with { type: 'json' };
import { readTokens, tokenExpiry, writeTokens, type TokenStorage, type Tokens } from './storage.js';

const ACCEPT = 'application/graphql-response+json, application/json;q=0.9';
// The server's close code for a refused token or an ended session (docs/api.md).
const SESSION_CLOSED = 4403;
const MANIFEST = persistedDocuments as Record<string, string>;

export interface LinliClientOptions {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:8000/graphql`. */
  url: string;
  /** Where tokens are kept (`localStorage`, or `memoryStorage()`). */
  storage: TokenStorage;
  /** The websocket endpoint; by default `url` with ws(s)://. */
  wsUrl?: string;
  /** `Accept-Language` for messages (`zh-CN`, the server's default, or `en`); a function is
   * read on each request (an app whose user switches language). */
  locale?: string | (() => string);
  /** Send operations by their sha256 (persisted queries); on by default. */
  persisted?: boolean;
  fetch?: typeof fetch;
  /** A WebSocket implementation where there is no global one (Node 20: the `ws` package). */
  webSocketImpl?: unknown;
  /** Called when the session changes: logged in, refreshed, or ended (null). */
  onSession?: (tokens: Tokens | null) => void;
}

type Variables = Record<string, unknown>;
type Result<T> = { data?: T | null; errors?: readonly GraphQLFormattedError[] };
export type SessionPayload = {
  accessToken?: string | null;
  refreshToken?: string | null;
  errors: readonly { code: string; field?: readonly string[] | null; message: string }[];
};

export interface Observer<T> {
  next: (data: T) => void;
  error?: (error: LinliError | Error) => void;
  complete?: () => void;
}

function hashOf(document: unknown): string | undefined {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  return hash?.replace(/^sha256:/, '');
}

function textOf(document: TypedDocumentNode<any, any>): string {
  const hash = (document as { __meta__?: { hash?: string } }).__meta__?.hash;
  // The manifest's text is the one its hash is of: send exactly that.
  return (hash && MANIFEST[hash]) || print(document);
}

export class LinliClient {
  private readonly options: LinliClientOptions;
  private readonly fetchFn: typeof fetch;
  private refreshing: Promise<boolean> | null = null;
  private ws: WsClient | null = null;
  private wsNeedsRefresh = false;

  constructor(options: LinliClientOptions) {
    this.options = { persisted: true, ...options };
    this.fetchFn = options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  get tokens(): Tokens | null {
    return readTokens(this.options.storage);
  }

  get loggedIn(): boolean {
    return this.tokens !== null;
  }

  private setTokens(tokens: Tokens | null): void {
    writeTokens(this.options.storage, tokens);
    this.options.onSession?.(tokens);
  }

  /** One HTTP round trip, with the persisted-query protocol (hash first, text on a miss). */
  private async send<T>(
    document: TypedDocumentNode<T, any>,
    variables: Variables | undefined,
    accessToken: string | undefined,
  ): Promise<{ result: Result<T>; status: number }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: ACCEPT };
    if (accessToken) headers.authorization = `Bearer ${accessToken}`;
    const locale = typeof this.options.locale === 'function' ? this.options.locale() : this.options.locale;
    if (locale) headers['accept-language'] = locale;
    const hash = this.options.persisted ? hashOf(document) : undefined;
    const post = async (body: object) => {
      const response = await this.fetchFn(this.options.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      const text = await response.text();
      let result: Result<T>;
      try {
        result = JSON.parse(text) as Result<T>;
      } catch {
        throw new LinliError([{ message: `HTTP ${response.status}`, extensions: { code: 'BAD_RESPONSE' } }], response.status);
      }
      return { result, status: response.status };
    };
    const base = { variables: variables ?? {} };
    if (hash) {
      const extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
      const first = await post({ ...base, extensions });
      const code = codeOf(first.result.errors?.[0]);
      if (code !== 'PERSISTED_QUERY_NOT_FOUND' && code !== 'PERSISTED_QUERY_NOT_SUPPORTED') return first;
      if (code === 'PERSISTED_QUERY_NOT_FOUND') return post({ ...base, query: textOf(document), extensions });
    }
    return post({ ...base, query: textOf(document) });
  }

  /** Run a query or mutation: its data, or a LinliError for a top-level error. A token
   * refused with UNAUTHENTICATED is refreshed once (the refresh token rotates) and the
   * operation retried; if the refresh fails too, the session ends (`onSession(null)`). */
  async request<T, V extends Variables = Variables>(
    document: TypedDocumentNode<T, V>,
    variables?: V,
  ): Promise<T> {
    const tokens = this.tokens;
    let { result, status } = await this.send(document, variables, tokens?.accessToken);
    if (tokens && this.unauthenticated(result) && (await this.refresh(tokens))) {
      ({ result, status } = await this.send(document, variables, this.tokens?.accessToken));
    }
    if (result.errors?.length && (result.data === undefined || result.data === null)) {
      throw new LinliError(result.errors, status);
    }
    if (result.errors?.length) throw new LinliError(result.errors, status);
    return result.data as T;
  }

  private unauthenticated(result: Result<unknown>): boolean {
    if (result.errors?.some((error) => codeOf(error) === 'UNAUTHENTICATED')) return true;
    // A mutation's payload may say it too (a login needed, the session ended).
    const payloads = Object.values((result.data ?? {}) as Record<string, unknown>);
    return payloads.some((payload) =>
      ((payload as { errors?: { code?: string }[] } | null)?.errors ?? []).some((e) => e.code === 'UNAUTHENTICATED'),
    );
  }

  /** Refresh the access token once, however many requests ask at the same time. */
  refresh(expected: Tokens | null = this.tokens): Promise<boolean> {
    if (!expected) return Promise.resolve(false);
    if (!this.refreshing) {
      this.refreshing = (async () => {
        try {
          const current = this.tokens;
          // Another tab or request refreshed already: use its tokens.
          if (current && current.refreshToken !== expected.refreshToken) return true;
          const { result } = await this.send(RefreshTokenDocument, { input: { refreshToken: expected.refreshToken } }, undefined);
          const payload = result.data?.refreshToken;
          if (payload?.accessToken && payload.refreshToken && payload.errors.length === 0) {
            this.setTokens({ accessToken: payload.accessToken, refreshToken: payload.refreshToken });
            return true;
          }
          this.setTokens(null);
          return false;
        } finally {
          this.refreshing = null;
        }
      })();
    }
    return this.refreshing;
  }

  private keep(payload: SessionPayload | null | undefined): SessionPayload {
    if (!payload) throw new LinliError([{ message: 'no payload', extensions: { code: 'INTERNAL' } }]);
    if (payload.errors.length === 0 && payload.accessToken && payload.refreshToken) {
      this.setTokens({ accessToken: payload.accessToken, refreshToken: payload.refreshToken });
      this.restartSocket();
    }
    return payload;
  }

  /** Log in with phone and password; the payload's `errors` say why not (INVALID_CREDENTIALS…). */
  async loginWithPassword(phone: string, password: string) {
    const data = await this.request(LoginDocument, { input: { phone, password } });
    return this.keep(data.login);
  }

  /** Ask for a one-time code by SMS (`ok: true` whether or not the phone has an account). */
  async requestLoginCode(phone: string) {
    return (await this.request(RequestLoginCodeDocument, { input: { phone } })).requestLoginCode;
  }

  async loginWithCode(phone: string, code: string) {
    const data = await this.request(LoginWithCodeDocument, { input: { phone, code } });
    return this.keep(data.loginWithCode);
  }

  /** End the session on the server (all its access tokens stop working) and here. */
  async logout(): Promise<void> {
    const tokens = this.tokens;
    try {
      if (tokens) await this.request(LogoutDocument, { input: { refreshToken: tokens.refreshToken } });
    } catch {
      // The session is ended here whatever the server said (it may be gone already).
    } finally {
      this.setTokens(null);
      this.restartSocket();
    }
  }

  /** GET a download the API links to (a certificate's `pdfUrl`, an `icsUrl`) with the
   * session's bearer token, refreshed once on a 401 like `request`: a plain link cannot
   * carry the token. Resolves with the Response (its blob, its content type and its
   * filename); rejects with a LinliError carrying the server's code (NOT_FOUND…). */
  async download(path: string): Promise<{ blob: Blob; type: string; filename: string | null }> {
    const target = new URL(path, this.options.url).toString();
    const get = (token: string | undefined) => {
      const headers: Record<string, string> = {};
      if (token) headers.authorization = `Bearer ${token}`;
      const locale = typeof this.options.locale === 'function' ? this.options.locale() : this.options.locale;
      if (locale) headers['accept-language'] = locale;
      return this.fetchFn(target, { headers });
    };
    const tokens = this.tokens;
    let response = await get(tokens?.accessToken);
    if (response.status === 401 && tokens && (await this.refresh(tokens))) {
      response = await get(this.tokens?.accessToken);
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => null)) as { errors?: GraphQLFormattedError[] } | null;
      const errors = body?.errors?.length ? body.errors : [{ message: `HTTP ${response.status}`, extensions: { code: 'BAD_RESPONSE' } }];
      throw new LinliError(errors, response.status);
    }
    const disposition = response.headers.get('content-disposition') ?? '';
    const filename = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? null;
    return { blob: await response.blob(), type: response.headers.get('content-type') ?? '', filename };
  }

  private socket(): WsClient {
    if (this.ws) return this.ws;
    const wsUrl = this.options.wsUrl ?? this.options.url.replace(/^http/, 'ws');
    this.ws = createClient({
      url: wsUrl,
      webSocketImpl: this.options.webSocketImpl,
      lazy: true,
      retryAttempts: Number.MAX_SAFE_INTEGER,
      shouldRetry: () => true,
      // Read on every (re)connection: a fresh token after a refresh or a 4403 close.
      connectionParams: async () => {
        let tokens = this.tokens;
        const exp = tokens ? tokenExpiry(tokens.accessToken) : null;
        const soon = exp !== null && exp * 1000 - Date.now() < 30_000;
        if (tokens && (this.wsNeedsRefresh || soon)) {
          this.wsNeedsRefresh = false;
          await this.refresh(tokens);
          tokens = this.tokens;
        }
        return tokens ? { Authorization: `Bearer ${tokens.accessToken}` } : {};
      },
      on: {
        closed: (event) => {
          if ((event as { code?: number }).code === SESSION_CLOSED) this.wsNeedsRefresh = true;
        },
      },
    });
    return this.ws;
  }

  /** Drop the socket so the next subscription connects as the new session. */
  private restartSocket(): void {
    this.ws?.terminate();
    this.ws = null;
  }

  /** Subscribe over graphql-ws (the token in connection_init, reconnecting after a drop
   * or an expired token). Returns the function that ends the subscription. */
  subscribe<T, V extends Variables = Variables>(
    document: TypedDocumentNode<T, V>,
    variables: V | undefined,
    observer: Observer<T>,
  ): () => void {
    let active = true;
    let stop: (() => void) | null = null;
    const start = () => {
      if (!active) return;
      stop = this.socket().subscribe<T>(
        { query: textOf(document), variables: (variables ?? {}) as Record<string, unknown> },
        {
          next: (result) => {
            if (result.errors?.length) observer.error?.(new LinliError(result.errors));
            else if (result.data) observer.next(result.data as T);
          },
          error: (error) => {
            const code = (error as { code?: number }).code;
            if (Array.isArray(error)) observer.error?.(new LinliError(error));
            else if (code === SESSION_CLOSED && this.loggedIn) {
              this.wsNeedsRefresh = true;
              setTimeout(start, 0); // a new connection with a refreshed token
            } else observer.error?.(error instanceof Error ? error : new Error(String(code ?? error)));
          },
          complete: () => observer.complete?.(),
        },
      );
    };
    start();
    return () => {
      active = false;
      stop?.();
    };
  }

  /** Close the socket (subscriptions end). */
  dispose(): void {
    this.restartSocket();
  }
}

export function createLinliClient(options: LinliClientOptions): LinliClient {
  return new LinliClient(options);
}
