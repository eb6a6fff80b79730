// Public API of @internal/plugin-evidence-common; filled in by the first slice.
export {};
