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
  await request(server)
    .post(api(`/requests/${enc(k)}/open`))
    .set('Authorization', scaffolder)
    .send(openBody(requestOf(name)))
    .expect(201);
  for (const s of steps) {
    await request(server)
      .post(api(`/requests/${enc(k)}/steps/${s.id}/claim`))
      .set('Authorization', scaffolder)
      .send({
        fingerprint: `sha256:${s.id}`,
        taskId: 'task-1',
        ...(s.action ? { action: s.action } : {}),
      })
      .expect(200);
    if (s.status === 'claimed') continue;
    await request(server)
      .post(api(`/requests/${enc(k)}/steps/${s.id}/complete`))
      .set('Authorization', scaffolder)
      .send({
        taskId: 'task-1',
        status: s.status ?? 'done',
        ...(s.effectRef ? { effectRef: s.effectRef } : {}),
        ...(s.output ? { output: s.output } : {}),
      })
      .expect(200);
  }
  if (close) {
    await request(server)
      .post(api(`/requests/${enc(k)}/close`))
      .set('Authorization', scaffolder)
      .send({
        taskId: 'task-1',
        status: close,
        ...(close === 'failed' ? { errorCode: 'GP-E02' } : {}),
      })
      .expect(200);
  }
  return k;
}
