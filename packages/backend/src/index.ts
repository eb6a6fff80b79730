/*
 * Hi!
 *
 * Note that this is an EXAMPLE Backstage backend. Please check the README.
 *
 * Happy hacking!
 */

import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// Golden paths: policy preflight (goldenpath:validate) before anything is created.
backend.add(import('@internal/plugin-scaffolder-backend-module-golden-paths'));
// Golden paths: request ledger, approvals and kill switches.
backend.add(import('@internal/plugin-golden-paths-backend'));
// Golden paths: entities of repositories published locally (local publish mode).
backend.add(import('@internal/plugin-catalog-backend-module-golden-paths'));

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// See https://backstage.io/docs/permissions/getting-started for how to create your own permission policy
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// Ops suite: evidence store, change ledger, ingestion API and collectors
backend.add(import('@internal/plugin-evidence-backend'));
// Incident brief: observed relations and readiness in the catalog, graph index and brief API
backend.add(import('@internal/plugin-catalog-backend-module-incident-brief'));
backend.add(import('@internal/plugin-incident-brief-backend'));
// Scorecards: level stamped while the catalog processes entities; results, waivers and campaigns API
backend.add(import('@internal/plugin-catalog-backend-module-scorecards'));
backend.add(import('@internal/plugin-scorecards-backend'));

// A plugin that fails to start rejects start(), which Backstage only logs: the process would stay
// up, alive but never ready, and an orchestrator would not restart it. Exit instead.
backend.start().catch(error => {
  // eslint-disable-next-line no-console
  console.error('Backend failed to start:', error);
  process.exit(1);
});
