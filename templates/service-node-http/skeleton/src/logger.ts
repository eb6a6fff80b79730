// JSON logs with run_id and correlation_id fields (golden-paths.md §3.1).
export const loggerOptions = {
  level: process.env.LOG_LEVEL ?? 'info',
  base: {
    service: '${{ values.request.name }}',
    run_id: process.env.RUN_ID ?? null,
  },
};
