// GraphQL Code Generator: typed document nodes (client preset) from the server's checked-in
// SDL (with schema/notices.graphql) and the SDK's own operations; the persisted-documents
// manifest (sha256 of each document as sent) is what the server's trusted-documents mode
// accepts.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  // The product's schema, and what the notices example plugin adds to it (not part of the
  // product's SDL: scripts/plugin_sdl.py writes schema/notices.graphql; docs/api.md says why).
  schema: ['../../schema/schema.graphql', 'schema/*.graphql'],
  documents: ['src/operations/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: {
        fragmentMasking: false,
        persistedDocuments: { mode: 'embedHashInDocument', hashAlgorithm: 'sha256' },
      },
      config: {
        emitLegacyCommonJSImports: false,
        // Only the types the SDK's operations use: a change elsewhere in the schema (another
        // module's API) leaves src/gql/ as it is, so the check fails only where the SDK is stale.
        onlyOperationTypes: true,
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { ID: 'string', Date: 'string', DateTime: 'string', Time: 'string', JSON: 'unknown' },
      },
    },
  },
};

export default config;
