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
         * An http(s) URL containing `{id}` (`backstage-cli config:check --strict` refuses
         * anything else; the card ignores it and links the vendor's generic page).
         * @visibility frontend
         * @pattern ^https?://.*\{id\}
         */
        urlTemplate?: string;
      };
      opsgenie?: {
        /**
         * e.g. `https://acme.app.eu.opsgenie.com/teams/list?query={id}`.
         * An http(s) URL containing `{id}` (`backstage-cli config:check --strict` refuses
         * anything else; the card ignores it and links the vendor's generic page).
         * @visibility frontend
         * @pattern ^https?://.*\{id\}
         */
        urlTemplate?: string;
      };
      firehydrant?: {
        /**
         * e.g. `https://app.firehydrant.io/services/{id}`.
         * An http(s) URL containing `{id}` (`backstage-cli config:check --strict` refuses
         * anything else; the card ignores it and links the vendor's generic page).
         * @visibility frontend
         * @pattern ^https?://.*\{id\}
         */
        urlTemplate?: string;
      };
    };
  };
}
