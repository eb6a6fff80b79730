import {
  NormalizedRequest,
  requestFingerprint,
} from '@internal/plugin-golden-paths-common';
import request from 'supertest';
import type { GoldenPathsTestBackend } from './startGoldenPathsTestBackend';
import { scaffolder } from './startGoldenPathsTestBackend';

/** The template every test request is made from. */
export const TEMPLATE = 'template:default/service-node-http';

/** A path of the golden-paths API. */
export const api = (p: string) => `/api/golden-paths${p}`;
/** A request key as a path segment. */
export const enc = (k: string) => encodeURIComponent(k);

/** The answers of a tier-2 internal service named `name`. */
export const requestOf = (name: string) => ({
  kind: 'service',
  name,
  description: 'Keeps shopping carts for signed-in and guest shoppers.',
  owner: 'group:default/checkout-team',
  system: 'system:default/checkout',
  tier: 2,
  exposure: 'internal',
  dataClassification: 'low',
});

/** The body of `POST /requests/:key/open` as the scaffolder sends it for task-1. */
export const openBody = (
  req: Record<string, unknown> = requestOf('cart-api'),
  over: Record<string, unknown> = {},
) => ({
  fingerprint: requestFingerprint(
    TEMPLATE,
    req as unknown as NormalizedRequest,
  ),
  request: req,
  templateRef: TEMPLATE,
  templateVersion: '1.0.0',
  kind: 'service',
  taskId: 'task-1',
  createdBy: 'user:default/ana.ruiz',
  ...over,
});

/** A step as task-1 ran it: claimed, then (unless still `claimed`) completed. */
export interface SeedStep {
  id: string;
  action?: string;
  effectRef?: string;
  output?: Record<string, unknown>;
  /** default `done` */
  status?: 'done' | 'failed' | 'claimed';
}

/**
 * Opens the request `service-node-http:<name>` (answers `requestOf(name)`) and records its steps
 * through the scaffolder's ledger routes, then closes it when `close` is given; returns its key.
 */
export async function seedRequest(
  server: GoldenPathsTestBackend['server'],
  name: string,
  steps: SeedStep[],
  close?: 'succeeded' | 'failed',
): Promise<string> {
  const k = `service-node-http:${name}`;
  await seedKey(server, k, openBody(requestOf(name)), steps, close);
  return k;
}

/** The template lifecycle requests are made from. */
export const LIFECYCLE_TEMPLATE = 'template:default/lifecycle-transition';

/** The normalized answers of a lifecycle transition of `entity`. */
export const lifecycleRequestOf = (entity: string, transition: string) => ({
  kind: 'lifecycle',
  entity,
  transition,
  reason: `${transition} requested by the owners`,
});

/** The body of `POST /requests/:key/open` for a lifecycle transition, as task-1 sends it. */
export const lifecycleOpenBody = (
  entity: string,
  transition: string,
  over: Record<string, unknown> = {},
) => {
  const req = lifecycleRequestOf(entity, transition);
  return openBody(req, {
    fingerprint: requestFingerprint(
      LIFECYCLE_TEMPLATE,
      req as unknown as NormalizedRequest,
    ),
    templateRef: LIFECYCLE_TEMPLATE,
    kind: 'lifecycle',
    ...over,
  });
};

/**
 * Opens the lifecycle request `key` (default `lifecycle:<entity>:<transition>`, the template's)
 * as `goldenpath:ledger:open` does, records its `goldenpath:lifecycle` steps as task-1 ran them
 * (the descriptor change `lifecycle`, finalizers `lifecycle:<finalizer>`; `action` defaults to
 * `goldenpath:lifecycle`) and closes it when `close` is given; returns its key.
 */
export async function seedLifecycleRequest(
  server: GoldenPathsTestBackend['server'],
  p: {
    entity: string;
    transition: string;
    key?: string;
    steps: SeedStep[];
    close?: 'succeeded' | 'failed';
  },
): Promise<string> {
  const k = p.key ?? `lifecycle:${p.entity}:${p.transition}`;
  await seedKey(
    server,
    k,
    lifecycleOpenBody(p.entity, p.transition),
    p.steps.map(s => ({ action: 'goldenpath:lifecycle', ...s })),
    p.close,
  );
  return k;
}

/** Claims (and completes) `key`'s steps as `taskId` through the scaffolder's ledger routes. */
export async function runSteps(
  server: GoldenPathsTestBackend['server'],
  key: string,
  steps: SeedStep[],
  taskId = 'task-1',
): Promise<void> {
  for (const s of steps) {
    await request(server)
      .post(api(`/requests/${enc(key)}/steps/${s.id}/claim`))
      .set('Authorization', scaffolder)
      .send({
        fingerprint: `sha256:${s.id}`,
        taskId,
        ...(s.action ? { action: s.action } : {}),
      })
      .expect(200);
    if (s.status === 'claimed') continue;
    await request(server)
      .post(api(`/requests/${enc(key)}/steps/${s.id}/complete`))
      .set('Authorization', scaffolder)
      .send({
        taskId,
        status: s.status ?? 'done',
        ...(s.effectRef ? { effectRef: s.effectRef } : {}),
        ...(s.output ? { output: s.output } : {}),
      })
      .expect(200);
  }
}

/** Closes `key` as `taskId` (`failed` with GP-E02). */
export async function closeRequest(
  server: GoldenPathsTestBackend['server'],
  key: string,
  status: 'succeeded' | 'failed',
  taskId = 'task-1',
): Promise<void> {
  await request(server)
    .post(api(`/requests/${enc(key)}/close`))
    .set('Authorization', scaffolder)
    .send({
      taskId,
      status,
      ...(status === 'failed' ? { errorCode: 'GP-E02' } : {}),
    })
    .expect(200);
}

async function seedKey(
  server: GoldenPathsTestBackend['server'],
  key: string,
  body: Record<string, unknown>,
  steps: SeedStep[],
  close?: 'succeeded' | 'failed',
): Promise<void> {
  await request(server)
    .post(api(`/requests/${enc(key)}/open`))
    .set('Authorization', scaffolder)
    .send(body)
    .expect(201);
  await runSteps(server, key, steps);
  if (close) await closeRequest(server, key, close);
}
