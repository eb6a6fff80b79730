// The suite's one URL-credential scan lives in evidence-common, the lowest layer (evidence texts
// are redacted at ingest with it); the engine keeps importing it from here.
export {
  redactUrlCredentials,
  withoutUrlUserinfo,
} from '@internal/plugin-evidence-common';
