import { GP_KEYS } from '../constants';
import type { ServiceRequest, WorkerRequest } from '../request/types';

/** Where the repository was published, as far as the descriptor needs to know (§2.1). */
export interface DescriptorPublishTarget {
  mode: 'local' | 'github' | 'gitlab';
  /**
   * Browsable base of the repository's default branch, e.g.
   * `https://github.com/acme/cart-api/blob/main` (GitHub) or `file:///…/cart-api.git` (local).
   */
  browseBase: string;
  /** `url:https://github.com/acme/cart-api/tree/main/` — GitHub/GitLab only. */
  sourceLocation?: string;
  /** `acme/cart-api` — GitHub only. */
  projectSlug?: string;
}

/** Input of {@link buildDescriptor}. @public */
export interface DescriptorInput {
  request:
    | ({ kind: 'service' } & ServiceRequest)
    | ({ kind: 'worker' } & WorkerRequest);
  requestKey: string;
  fingerprint: string;
  templateRef: string;
  templateVersion: string;
  /** ISO instant of the request's first claim: stable across retries, so the tree is too. */
  createdAt: string;
  createdBy: string;
  publish: DescriptorPublishTarget;
  /** Dashboard link, when the platform configures one (`dashboard-linked`). */
  dashboardUrl?: string;
  /**
   * The owner group's own `ops.example.com/oncall` (validate's `ownerRotation`): a requested
   * rotation equal to it is not written, since the Component would inherit it anyway (§2.1).
   */
  ownerRotation?: string;
}

/** A catalog entity as plain data (validated by the caller with the catalog model). */
export interface DescriptorEntity {
  apiVersion: 'backstage.io/v1alpha1';
  kind: string;
  metadata: {
    name: string;
    description?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    links?: { url: string; title: string; type: string }[];
    tags?: string[];
  };
  spec: Record<string, unknown>;
}

/** Output of {@link buildDescriptor}: the entities of `catalog-info.yaml` and `.goldenpath.yaml`. @public */
export interface Descriptor {
  entities: DescriptorEntity[];
  entityRefs: string[];
  goldenPath: {
    template: string;
    templateVersion: string;
    requestKey: string;
    fingerprint: string;
    createdAt: string;
    createdBy: string;
  };
}

/**
 * The catalog descriptor of a new service or worker (golden-paths.md §2.1) and its
 * `.goldenpath.yaml` identity (§2.2). Pure and deterministic: the same request and publish
 * target always give the same entities, so a dry run and a real run write identical files.
 *
 * Choices: lifecycle is always `experimental` (promotion is a gated transition, §7); the
 * Component carries `ops.example.com/oncall` only when the request names a rotation other than the
 * owner group's own (otherwise the group's applies, incident-brief §2.2); links point into the
 * published repository.
 *
 * @public
 */
export function buildDescriptor(input: DescriptorInput): Descriptor {
  const { request, publish } = input;
  const browse = publish.browseBase.replace(/\/+$/, '');
  const annotations: Record<string, string> = {
    [GP_KEYS.regions]: request.region,
    [GP_KEYS.dataClassification]: request.dataClassification,
    [GP_KEYS.sloIds]: `${request.name}-availability`,
    'backstage.io/techdocs-ref': 'dir:.',
  };
  if (publish.sourceLocation) {
    annotations['backstage.io/source-location'] = publish.sourceLocation;
  }
  if (publish.projectSlug) {
    annotations['github.com/project-slug'] = publish.projectSlug;
  }
  annotations[GP_KEYS.template] = input.templateRef;
  annotations[GP_KEYS.templateVersion] = input.templateVersion;
  annotations[GP_KEYS.requestKey] = input.requestKey;
  annotations[GP_KEYS.createdAt] = input.createdAt;
  const oncall = request.oncall?.trim();
  if (oncall && oncall !== input.ownerRotation?.trim()) {
    annotations[GP_KEYS.oncall] = oncall;
  }

  const links: { url: string; title: string; type: string }[] = [];
  if (request.runbook === 'existing-url' && request.runbookUrl) {
    links.push({ url: request.runbookUrl, title: 'Runbook', type: 'runbook' });
  } else if (request.runbook === 'generate-stub') {
    links.push({
      url: `${browse}/docs/runbook.md`,
      title: 'Runbook',
      type: 'runbook',
    });
  }
  const latency =
    request.kind === 'service' ? ` / p95 ${request.sloLatencyP95Ms} ms` : '';
  links.push({
    url: `${browse}/slo/${request.name}.yaml`,
    title: `SLO ${request.sloAvailability} %${latency}`,
    type: 'slo',
  });
  if (input.dashboardUrl) {
    links.push({
      url: input.dashboardUrl,
      title: 'Dashboard',
      type: 'dashboard',
    });
  }

  const labels = {
    [GP_KEYS.tier]: String(request.tier),
    [GP_KEYS.customerFacing]: String(request.customerFacing),
  };
  const component: DescriptorEntity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: request.name,
      description: request.description,
      labels,
      annotations,
      links,
      tags:
        request.kind === 'service'
          ? ['golden-path', 'typescript', 'http']
          : ['golden-path', 'typescript', 'worker'],
    },
    spec: {
      type: request.kind === 'service' ? 'service' : 'worker',
      lifecycle: 'experimental',
      owner: request.owner,
      system: request.system,
      ...(request.kind === 'service'
        ? { providesApis: [`api:default/${request.name}`] }
        : {}),
      ...(request.kind === 'worker' && request.queue
        ? { dependsOn: [request.queue] }
        : {}),
    },
  };
  const entities = [component];
  const entityRefs = [`component:default/${request.name}`];
  if (request.kind === 'service') {
    entities.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: {
        name: request.name,
        description: `HTTP API of ${request.name}.`,
        labels: { [GP_KEYS.tier]: String(request.tier) },
        annotations: {
          [GP_KEYS.template]: input.templateRef,
          [GP_KEYS.requestKey]: input.requestKey,
        },
      },
      spec: {
        type: 'openapi',
        lifecycle: 'experimental',
        owner: request.owner,
        system: request.system,
        definition: { $text: './openapi.yaml' },
      },
    });
    entityRefs.push(`api:default/${request.name}`);
  }
  return {
    entities,
    entityRefs,
    goldenPath: {
      template: input.templateRef,
      templateVersion: input.templateVersion,
      requestKey: input.requestKey,
      fingerprint: input.fingerprint,
      createdAt: input.createdAt,
      createdBy: input.createdBy,
    },
  };
}
