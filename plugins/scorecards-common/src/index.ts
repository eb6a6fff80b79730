// Public API of @internal/plugin-scorecards-common; filled in by the first slice.
export {};
