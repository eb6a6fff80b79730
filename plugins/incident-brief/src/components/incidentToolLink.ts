import type { ConfigApi } from '@backstage/frontend-plugin-api';
import { httpHref } from '@internal/suite-react';

/** Incident tools with an annotation on the entity (IB §2.2). */
export type IncidentTool = 'pagerduty' | 'opsgenie' | 'firehydrant';

const NAMES: Record<IncidentTool, string> = {
  pagerduty: 'PagerDuty service',
  opsgenie: 'Opsgenie team',
  firehydrant: 'FireHydrant service',
};

/**
 * Vendor-generic pages, used when `incidentBrief.incidentTools.<tool>.urlTemplate` is not set.
 * FireHydrant has no account-independent URL for a service, so it is a label only by default.
 */
const DEFAULT_TEMPLATES: Partial<Record<IncidentTool, string>> = {
  pagerduty: 'https://app.pagerduty.com/service-directory/{id}',
  opsgenie: 'https://app.opsgenie.com/teams/list?query={id}',
};

/** `urlTemplate` per tool from config (frontend-visible; see config.d.ts). */
export function readIncidentToolTemplates(
  config: Pick<ConfigApi, 'getOptionalString'>,
): Partial<Record<IncidentTool, string>> {
  const templates: Partial<Record<IncidentTool, string>> = {};
  for (const tool of Object.keys(NAMES) as IncidentTool[]) {
    const template = config.getOptionalString(
      `incidentBrief.incidentTools.${tool}.urlTemplate`,
    );
    // only http(s) templates with the placeholder: anything else would link somewhere fixed
    if (template && /^https?:\/\//.test(template) && template.includes('{id}'))
      templates[tool] = template;
  }
  return templates;
}

/**
 * Where a responder opens the service in the incident tool: the configured template (an
 * account-specific base such as `https://acme.eu.opsgenie.com/…`), else the vendor's generic
 * page; the annotation value is URL-encoded into `{id}`.
 */
export function incidentToolLink(
  link: { tool: string; value: string },
  templates: Partial<Record<IncidentTool, string>> = {},
): { label: string; href?: string } {
  const tool = (link.tool in NAMES ? link.tool : 'firehydrant') as IncidentTool;
  const label = `${NAMES[tool]} ${link.value}`;
  const template = templates[tool] ?? DEFAULT_TEMPLATES[tool];
  // a template handed in (not read by readIncidentToolTemplates) may be anything: link only http(s)
  const href =
    template &&
    httpHref(template.split('{id}').join(encodeURIComponent(link.value)));
  return href ? { label, href } : { label };
}
