// Public API of @internal/plugin-cost-calculators-common; filled in by the first slice.
export {};
