export interface Config {
  incidentBrief?: {
    /**
     * Links from the Owner & on-call card to the incident tool named by the entity's
     * annotations. Without a template, PagerDuty and Opsgenie link to the vendors' generic
     * pages and FireHydrant is shown as a label.
     */
    incidentTools?: {
      pagerduty?: {
        /**
         * Account-specific URL with `{id}` for the annotation value, e.g.
         * `https://acme.pagerduty.com/service-directory/{id}`.
         * @visibility frontend
         */
        urlTemplate?: string;
      };
      opsgenie?: {
        /**
         * e.g. `https://acme.app.eu.opsgenie.com/teams/list?query={id}`.
         * @visibility frontend
         */
        urlTemplate?: string;
      };
      firehydrant?: {
        /**
         * e.g. `https://app.firehydrant.io/services/{id}`.
         * @visibility frontend
         */
        urlTemplate?: string;
      };
    };
  };
}
