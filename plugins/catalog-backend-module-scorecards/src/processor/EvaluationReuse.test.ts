import { createHash } from 'node:crypto';
import { Entity } from '@backstage/catalog-model';
import {
  defaultStandardFile,
  loadStandard,
} from '@internal/plugin-scorecards-common';
import { EvaluationInputs, EvaluationReuse } from './EvaluationReuse';

const reuse = new EvaluationReuse(loadStandard(defaultStandardFile), {
  reuseForMs: 300_000,
  catalogFreshForMs: 600_000,
});

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout-service', labels: { tier: '2' } },
  spec: { owner: 'group:default/checkout-team' },
};

const inputs: EvaluationInputs = {
  entity,
  evidenceVersion: '12.34/5',
  catalogVersion: 'c1',
  waiversVersion: 'w1',
  firstSeenAt: '2026-03-14T02:05:00.000Z',
};

describe('EvaluationReuse.keyOf', () => {
  it('gives equal inputs equal keys, the digest of the parts hashed one by one', () => {
    const copy = { ...inputs, entity: JSON.parse(JSON.stringify(entity)) };
    expect(reuse.keyOf(copy)).toBe(reuse.keyOf(inputs));
    // Keys of entries made before the key was built as one string stay valid.
    const parts = createHash('sha1').update(JSON.stringify(entity));
    for (const part of [
      inputs.evidenceVersion,
      inputs.catalogVersion,
      inputs.waiversVersion,
      inputs.firstSeenAt,
    ]) {
      parts.update('\u0000').update(part);
    }
    expect(reuse.keyOf(inputs)).toBe(parts.digest('base64'));
  });

  it('changes with every input, also when text only moves between two of them', () => {
    const keys = [
      inputs,
      { ...inputs, entity: { ...entity, spec: { owner: 'group:default/x' } } },
      { ...inputs, evidenceVersion: '12.34/6' },
      { ...inputs, catalogVersion: 'c2' },
      { ...inputs, waiversVersion: 'w2' },
      { ...inputs, firstSeenAt: '2026-03-14T02:05:00.001Z' },
      // The same text joined without separators as the first.
      { ...inputs, evidenceVersion: '12.34/5c', catalogVersion: '1' },
      { ...inputs, catalogVersion: 'c1w', waiversVersion: '1' },
    ].map(i => reuse.keyOf(i));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
