import { parseRepoUrl, repoLocationOf } from './repoLocation';
import { RepoPathMatcher } from './repoPaths';

describe('repoLocationOf', () => {
  it.each([
    [
      {
        'backstage.io/source-location':
          'url:https://github.com/shop-example/checkout-service/',
      },
      {
        repository: 'github.com/shop-example/checkout-service',
        rootUrl: 'https://github.com/shop-example/checkout-service',
        ref: '',
        directory: '',
      },
    ],
    [
      {
        'backstage.io/source-location':
          'url:https://github.com/Shop/Mono/tree/main/services/api/',
      },
      {
        repository: 'github.com/shop/mono',
        rootUrl: 'https://github.com/Shop/Mono/tree/main',
        ref: 'main',
        directory: 'services/api',
      },
    ],
    // A GitLab project in subgroups: its whole path up to `/-/` is the repository.
    [
      {
        'backstage.io/source-location':
          'url:https://gitlab.com/acme/platform/checkout/-/tree/main/svc/',
      },
      {
        repository: 'gitlab.com/acme/platform/checkout',
        rootUrl: 'https://gitlab.com/acme/platform/checkout/-/tree/main',
        ref: 'main',
        directory: 'svc',
      },
    ],
    [
      {
        'backstage.io/source-location':
          'url:https://gitlab.com/acme/platform/payments.git',
      },
      {
        repository: 'gitlab.com/acme/platform/payments',
        rootUrl: 'https://gitlab.com/acme/platform/payments',
        ref: '',
        directory: '',
      },
    ],
    [
      {
        'backstage.io/source-location':
          'url:https://gitlab.example/g/r.git/-/tree/dev/x',
      },
      {
        repository: 'gitlab.example/g/r',
        rootUrl: 'https://gitlab.example/g/r/-/tree/dev',
        ref: 'dev',
        directory: 'x',
      },
    ],
    [
      { 'github.com/project-slug': 'shop-example/pricing' },
      {
        repository: 'github.com/shop-example/pricing',
        rootUrl: 'https://github.com/shop-example/pricing',
        ref: '',
        directory: '',
      },
    ],
  ])('maps %j', (annotations, expected) => {
    expect(repoLocationOf({ annotations })).toEqual(expected);
  });

  it.each([
    [{}],
    [{ 'backstage.io/source-location': 'dir:./local' }],
    [{ 'github.com/project-slug': 'not a slug' }],
  ])('has no join key for %j', annotations => {
    expect(repoLocationOf({ annotations })).toBeUndefined();
  });

  it('needs owner and repository', () => {
    expect(parseRepoUrl('https://github.com/only-owner')).toBeUndefined();
  });
});

describe('repo path globs', () => {
  // The glob syntax itself is evidence-common's (`globToRegExp`), tested there.
  it('counts root-level ownership and CI files for a subdirectory entity, not the root README', () => {
    const matcher = new RepoPathMatcher([
      'CODEOWNERS',
      '.github/CODEOWNERS',
      'README.md',
      'Jenkinsfile',
    ]);
    expect(matcher.entityPath('services/api/README.md', 'services/api')).toBe(
      'README.md',
    );
    expect(matcher.entityPath('README.md', 'services/api')).toBeUndefined();
    expect(matcher.entityPath('.github/CODEOWNERS', 'services/api')).toBe(
      '.github/CODEOWNERS',
    );
    expect(matcher.entityPath('Jenkinsfile', 'services/api')).toBe(
      'Jenkinsfile',
    );
    expect(
      matcher.entityPath('services/other/README.md', 'services/api'),
    ).toBeUndefined();
  });
});
