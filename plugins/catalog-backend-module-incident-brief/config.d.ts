export interface Config {
  incidentBrief?: {
    readiness?: {
      /**
       * Check incident-readiness metadata during catalog processing and write the gaps as
       * `incident.readiness` evidence facts. Gaps are never processing errors. Default true.
       */
      enabled?: boolean;
    };
  };
}
