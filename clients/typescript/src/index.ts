export { createLinliClient, LinliClient, type LinliClientOptions, type Observer } from './client.js';
export { LinliError, codeOf, payloadErrors, type PayloadError } from './errors.js';
export { memoryStorage, tokenExpiry, type TokenStorage, type Tokens } from './storage.js';
export * from './gql/graphql.js';
export { default as persistedDocuments } from './gql/persisted-documents.json' with { type: 'json' };
