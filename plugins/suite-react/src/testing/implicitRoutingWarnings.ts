/**
 * For the plugins' page tests: frontend-app-api warns, in development only, when a page the app
 * routes uses React Router (core-components' `Link`, `useNavigate`) without the adapter around it
 * ("uses implicit React Router v6 routing"). Call in a `describe`: each of its tests runs with
 * `NODE_ENV=development` and `console.warn` recorded; the returned function gives the warnings
 * of that kind so far.
 */
export function recordImplicitRoutingWarnings(): () => string[] {
  const env = process.env.NODE_ENV;
  let warn: jest.SpyInstance | undefined;
  beforeEach(() => {
    process.env.NODE_ENV = 'development';
    warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
  });
  afterEach(() => {
    process.env.NODE_ENV = env;
    warn?.mockRestore();
  });
  return () =>
    (warn?.mock.calls ?? [])
      .map(c => String(c[0]))
      .filter(m => /implicit React Router/.test(m));
}
