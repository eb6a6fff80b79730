import {
  Entity,
  KubernetesValidatorFunctions as K8s,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import type { Request } from 'express';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { isoTime, parseQuery } from '@internal/suite-node';

/** `?now=` — the only way to give the evaluation instant with a YAML body. */
const evaluateQuery = z.object({ now: isoTime('now').optional() });

/** Content types `POST /evaluate` reads as YAML (a catalog-info.yaml as it is in the repository). */
export const YAML_CONTENT_TYPES = [
  'text/yaml',
  'application/yaml',
  'application/x-yaml',
];

/** 415: the body is neither JSON nor YAML. */
export class UnsupportedMediaTypeError extends Error {
  name = 'UnsupportedMediaTypeError';
}

/** A validated dry-run request. */
export interface EvaluateRequest {
  entity: Entity;
  /** Evaluation instant; absent = the server's clock. */
  now?: string;
}

const refList = z.array(z.string().min(1));

/**
 * The parts of an entity the engine reads, validated the way the catalog would (names, label and
 * annotation keys and values); everything else passes through untouched.
 */
const entitySchema = z.looseObject({
  apiVersion: z.string().regex(/^[a-z0-9][a-z0-9.-]*\/[a-z0-9]+$/i, {
    error: iss =>
      `must be group/version, e.g. backstage.io/v1alpha1 (got ${JSON.stringify(
        iss.input,
      )})`,
  }),
  kind: z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, {
    error: iss =>
      `must be a kind such as Component (got ${JSON.stringify(iss.input)})`,
  }),
  metadata: z.looseObject({
    name: z.string().refine(v => K8s.isValidObjectName(v), {
      error: iss =>
        `must be 1-63 characters of [a-zA-Z0-9] separated by [-_.] (got ${JSON.stringify(
          iss.input,
        )})`,
    }),
    namespace: z
      .string()
      .refine(v => K8s.isValidNamespace(v), {
        error: iss =>
          `must be 1-63 characters of [a-z0-9] separated by - (got ${JSON.stringify(
            iss.input,
          )})`,
      })
      .optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    labels: z
      .record(
        z.string().refine(k => K8s.isValidLabelKey(k), {
          error: 'is not a valid label key',
        }),
        z.string().refine(v => K8s.isValidLabelValue(v), {
          error: iss =>
            `is not a valid label value (got ${JSON.stringify(iss.input)})`,
        }),
      )
      .optional(),
    annotations: z
      .record(
        z.string().refine(k => K8s.isValidAnnotationKey(k), {
          error: 'is not a valid annotation key',
        }),
        z.string(),
      )
      .optional(),
    tags: z.array(z.string()).optional(),
    links: z
      .array(
        z.looseObject({
          url: z.string().min(1),
          type: z.string().optional(),
          title: z.string().optional(),
          icon: z.string().optional(),
        }),
      )
      .optional(),
  }),
  spec: z
    .looseObject({
      type: z.string().min(1).optional(),
      lifecycle: z.string().min(1).optional(),
      owner: z.string().min(1).optional(),
      system: z.string().min(1).optional(),
      domain: z.string().min(1).optional(),
      parent: z.string().min(1).optional(),
      dependsOn: refList.optional(),
      dependencyOf: refList.optional(),
      providesApis: refList.optional(),
      consumesApis: refList.optional(),
      members: refList.optional(),
      memberOf: refList.optional(),
    })
    .optional(),
});

const wrapperSchema = z.strictObject(
  { entity: z.unknown(), now: isoTime('now').optional() },
  {
    error: iss =>
      iss.code === 'unrecognized_keys'
        ? `body has unknown field ${iss.keys
            .map(k => JSON.stringify(k))
            .join(', ')}; send an entity, or { entity, now }`
        : undefined,
  },
);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value;
}

const EXPECTED: Record<string, string> = {
  object: 'an object',
  record: 'an object',
  array: 'a list',
  string: 'a string',
  number: 'a number',
};

/** Per-parse error map: short predicates that follow the field path ("is required"). */
const predicate: z.core.$ZodErrorMap = iss => {
  switch (iss.code) {
    case 'invalid_type':
      return iss.input === undefined
        ? 'is required'
        : `must be ${EXPECTED[iss.expected] ?? iss.expected} (got ${describe(
            iss.input,
          )})`;
    case 'too_small':
      return iss.origin === 'string' ? 'must not be empty' : undefined;
    case 'invalid_key':
      return iss.issues[0]?.message;
    default:
      return undefined;
  }
};

/** `entity.metadata.labels["ops.example.com/tier"]`, `entity.spec.dependsOn[0]`. */
function fieldPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(p))) out += `.${String(p)}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

/** Validates an entity; 400 naming the field, e.g. `entity.metadata.name is required`. */
export function parseEntity(value: unknown): Entity {
  const result = entitySchema.safeParse(value, { error: predicate });
  if (result.success) {
    // The engine reads spec and metadata only, as for catalog entities (CatalogSnapshot).
    const {
      relations: _relations,
      status: _status,
      ...entity
    } = result.data as Entity & { status?: unknown };
    return entity as Entity;
  }
  const issue = result.error.issues[0];
  throw new InputError(`${fieldPath('entity', issue.path)} ${issue.message}`);
}

function fromValue(value: unknown, queryNow: string | undefined) {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(
      `body must be an entity or { entity, now } (got ${describe(value)})`,
    );
  }
  if (!('entity' in value)) {
    if ('now' in value) {
      throw new InputError(
        'now goes next to the entity, not inside it: send { entity, now }, or ?now= in the query',
      );
    }
    return { entity: parseEntity(value), now: queryNow };
  }
  const parsed = wrapperSchema.safeParse(value);
  if (!parsed.success) throw new InputError(parsed.error.issues[0].message);
  if (parsed.data.now && queryNow && parsed.data.now !== queryNow) {
    throw new InputError(
      `now is given twice, in the body (${parsed.data.now}) and the query (${queryNow}); give it once`,
    );
  }
  return {
    entity: parseEntity(parsed.data.entity),
    now: parsed.data.now ?? queryNow,
  };
}

function fromYaml(text: string) {
  const documents = parseAllDocuments(text);
  const list = Array.isArray(documents) ? documents : [documents];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      throw new InputError(
        `body is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`,
      );
    }
  }
  const filled = list.filter(d => d.contents !== null);
  if (filled.length === 0) {
    throw new InputError('body is empty; send one entity (catalog-info.yaml)');
  }
  if (filled.length > 1) {
    throw new InputError(
      `body holds ${filled.length} YAML documents; send one entity per request`,
    );
  }
  try {
    return filled[0].toJS();
  } catch (error) {
    // `toJS` refuses documents whose aliases would expand out of bounds (a "billion laughs"
    // body); that is the sender's input, not a server fault.
    throw new InputError(
      `body is not valid YAML: ${
        String((error as Error)?.message ?? error).split('\n')[0]
      }`,
    );
  }
}

/**
 * Reads the body of `POST /evaluate`: JSON (an entity, or `{ entity, now }`) or YAML
 * (`text/yaml`, `application/yaml`: one catalog-info document). `now` may also come from the
 * query string (the only way with a YAML body).
 */
export function parseEvaluateRequest(req: Request): EvaluateRequest {
  const { now: queryNow } = parseQuery(evaluateQuery, req.query);
  if (req.is(YAML_CONTENT_TYPES)) {
    if (typeof req.body !== 'string') {
      throw new InputError(
        'body is empty; send one entity (catalog-info.yaml)',
      );
    }
    return fromValue(fromYaml(req.body), queryNow);
  }
  if (req.is('application/json')) {
    return fromValue(req.body, queryNow);
  }
  const type = req.header('content-type');
  const hasBody =
    req.header('transfer-encoding') !== undefined ||
    Number(req.header('content-length') ?? 0) > 0;
  if (!type && !hasBody) {
    throw new InputError(
      'body is required: an entity as JSON, or a catalog-info.yaml as YAML',
    );
  }
  throw new UnsupportedMediaTypeError(
    `content-type must be application/json, application/yaml or text/yaml (got ${
      type ? JSON.stringify(type) : 'none'
    })`,
  );
}
