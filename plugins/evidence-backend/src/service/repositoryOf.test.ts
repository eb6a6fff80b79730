import type { Entity } from '@backstage/catalog-model';
import { repositoryOf } from './AliasResolver';

const component = (annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', annotations },
  spec: {},
});

describe('repositoryOf (the CI repository map, §2.1)', () => {
  it.each([
    [
      { 'github.com/project-slug': 'Shop/Checkout' },
      ['github.com/shop/checkout'],
    ],
    [
      {
        'backstage.io/source-location':
          'url:https://github.com/shop/mono/tree/main/services/checkout/',
      },
      ['github.com/shop/mono'],
    ],
    // A GitLab project in subgroups maps as the repository collector reads it, so CI runs
    // posted for it and its files land on the same entity.
    [
      {
        'backstage.io/source-location':
          'url:https://gitlab.com/acme/platform/checkout/-/tree/main/',
      },
      ['gitlab.com/acme/platform/checkout'],
    ],
    [{ 'backstage.io/source-location': 'url:not a url' }, []],
  ])('%j → %j', (annotations, repositories) => {
    expect(repositoryOf(component(annotations))).toEqual(repositories);
  });
});
