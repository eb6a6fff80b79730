/*
 * Golden paths through the real scaffolder API (issue 7 acceptance, golden-paths.md §10 V1, V2,
 * V3, V7): runs the service template on the running backend, then checks the bare repository on
 * disk, the catalog entity, the replay and the refusals. Used by check-catalog.js (SMOKE_DEMO=1).
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPOS = path.resolve(
  __dirname,
  '../packages/backend/.data/golden-paths/repos',
);

/**
 * The 19 paths of §3.1 a T1 repository holds, and the three the skeleton adds since 2026-12-07
 * (golden-paths-common README, deviation 39): the lockfile `npm ci` needs, `.gitignore` and
 * `.dockerignore`. In git's order (code units).
 */
const T1_PATHS = [
  '.dockerignore',
  '.github/workflows/ci.yaml',
  '.github/workflows/deploy.yaml',
  '.gitignore',
  '.goldenpath.yaml',
  'CODEOWNERS',
  'Dockerfile',
  'README.md',
  'catalog-info.yaml',
  'docs/index.md',
  'docs/runbook.md',
  'docs/slo.md',
  'mkdocs.yml',
  'openapi.yaml',
  'package-lock.json',
  'package.json',
  'slo/NAME.yaml',
  'src/logger.ts',
  'src/routes/health.ts',
  'src/server.ts',
  'test/health.test.ts',
  'tsconfig.json',
];

function s0(delta = {}) {
  return {
    name: 'cart-api',
    description: 'Keeps shopping carts for signed-in and guest shoppers.',
    owner: 'group:default/checkout-team',
    system: 'system:default/checkout',
    tier: '2',
    customerFacing: true,
    region: 'eu-west-1',
    waitMinutes: 0,
    ...delta,
  };
}

async function runTemplate(baseUrl, headers, values) {
  const started = Date.now();
  const res = await fetch(`${baseUrl}/api/scaffolder/v2/tasks`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({
      templateRef: 'template:default/service-node-http',
      values,
    }),
  });
  if (res.status !== 201) {
    throw new Error(
      `POST /v2/tasks answered ${res.status}: ${await res.text()}`,
    );
  }
  const { id } = await res.json();
  let task;
  const until = Date.now() + 120_000;
  while (Date.now() < until) {
    task = await (
      await fetch(`${baseUrl}/api/scaffolder/v2/tasks/${id}`, { headers })
    ).json();
    if (['completed', 'failed', 'cancelled'].includes(task.status)) break;
    await new Promise(r => setTimeout(r, 200));
  }
  const events = await (
    await fetch(`${baseUrl}/api/scaffolder/v2/tasks/${id}/events`, { headers })
  ).json();
  const log = events
    .filter(e => e.type === 'log')
    .map(e => `${e.body.stepId ?? ''} ${e.body.message}`)
    .join('\n');
  return { status: task?.status, ms: Date.now() - started, log };
}

function gitLines(repo, args) {
  return execFileSync('git', ['--git-dir', repo, ...args], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
}

async function entity(baseUrl, headers, ref) {
  const [kind, rest] = ref.split(':');
  const res = await fetch(
    `${baseUrl}/api/catalog/entities/by-name/${kind}/${rest}`,
    { headers },
  );
  return res.ok ? res.json() : undefined;
}

async function checkGoldenPath(baseUrl, token, check) {
  const headers = { Authorization: `Bearer ${token}` };
  const repo = path.join(REPOS, 'cart-api.git');
  // The template is registered from templates/all.yaml; wait for the catalog to have read it.
  const until = Date.now() + 180_000;
  while (
    !(await entity(baseUrl, headers, 'template:default/service-node-http'))
  ) {
    if (Date.now() > until) break;
    await new Promise(r => setTimeout(r, 1000));
  }

  // V1: created — repository, one commit, the §3.1 files, entities in the catalog.
  const v1 = await runTemplate(baseUrl, headers, s0());
  check(
    `golden path V1: service template run completes (${v1.ms} ms)`,
    v1.status === 'completed',
    v1.log.slice(-600),
  );
  const files = fs.existsSync(repo)
    ? gitLines(repo, ['ls-tree', '-r', '--name-only', 'main'])
    : [];
  const expected = T1_PATHS.map(p => p.replace('NAME', 'cart-api'));
  check(
    'golden path V1: bare repository cart-api.git holds the 19 paths of §3.1 and the lockfile and ignore files (22)',
    JSON.stringify(files) === JSON.stringify(expected),
    `got ${files.join(', ')}`,
  );
  const commits = fs.existsSync(repo)
    ? gitLines(repo, ['rev-list', 'main'])
    : [];
  check(
    'golden path V1: one commit',
    commits.length === 1,
    `${commits.length} commits`,
  );
  const component = await entity(
    baseUrl,
    headers,
    'component:default/cart-api',
  );
  check(
    'golden path V1: component:default/cart-api in the catalog (experimental, tier 2, checkout-team, request key, no component on-call)',
    component?.spec?.lifecycle === 'experimental' &&
      component?.metadata?.labels?.['ops.example.com/tier'] === '2' &&
      component?.spec?.owner === 'group:default/checkout-team' &&
      component?.metadata?.annotations?.['ops.example.com/request-key'] ===
        'service-node-http:cart-api' &&
      !component?.metadata?.annotations?.['ops.example.com/oncall'],
    JSON.stringify(component?.metadata ?? null).slice(0, 300),
  );
  const api = await entity(baseUrl, headers, 'api:default/cart-api');
  check(
    'golden path V1: api:default/cart-api with its OpenAPI definition',
    typeof api?.spec?.definition === 'string' &&
      api.spec.definition.includes('openapi'),
  );

  // V2: replayed — same inputs, same key: nothing new.
  const v2 = await runTemplate(baseUrl, headers, s0());
  const after = fs.existsSync(repo) ? gitLines(repo, ['rev-list', 'main']) : [];
  check(
    `golden path V2: rerun with the same key replays (${v2.ms} ms), still one commit`,
    v2.status === 'completed' &&
      /service-node-http:cart-api: replay/.test(v2.log) &&
      /Skipping step publish-local because its if condition was false/.test(
        v2.log,
      ) &&
      after.length === 1 &&
      after[0] === commits[0],
    `${v2.status}; commits ${after.length}`,
  );

  // V3: same key, different request → GP-I02, nothing changed.
  const v3 = await runTemplate(baseUrl, headers, s0({ tier: '3' }));
  check(
    'golden path V3: same key with another tier is refused with GP-I02',
    v3.status === 'failed' &&
      /GP-I02: Idempotency key "service-node-http:cart-api" was used on \d{4}-\d{2}-\d{2} by [^ ]+ for a different request \(differs in: [^)]*tier[^)]*\)\. Nothing was changed\./.test(
        v3.log,
      ),
    v3.log.slice(-400),
  );

  // V7: tier 1 without on-call → refused before anything exists.
  const v7 = await runTemplate(
    baseUrl,
    headers,
    s0({
      name: 'promo-api',
      owner: 'group:default/storefront-team',
      system: 'system:default/storefront',
      tier: '1',
    }),
  );
  check(
    'golden path V7: tier 1 without on-call is refused with GP-T01 and nothing is created',
    v7.status === 'failed' &&
      v7.log.includes(
        "GP-T01: A tier 1 service needs an on-call rotation, but neither this request nor group:default/storefront-team names one (ops.example.com/oncall, PagerDuty or Opsgenie). A rotation inherited from a parent group does not count. Add the team's rotation and run again.",
      ) &&
      !fs.existsSync(path.join(REPOS, 'promo-api.git')) &&
      !(await entity(baseUrl, headers, 'component:default/promo-api')),
    v7.log.slice(-400),
  );
}

/**
 * A runtime kill switch on goldenpath:register thrown before the run: ledger:open checks every
 * action the template lists (§4.7, "before any effect"), so the run is refused there with GP-K02
 * and nothing is created; once lifted, the same request runs through and registers the entity.
 * (V19 proper, a switch thrown after publish ran, stops at the register claim and resumes: the
 * scaffolder module's publishGit, register and ledgerOpen tests hold it; a smoke run cannot throw
 * a switch between two steps without a race.)
 */
async function checkKillSwitchResume(baseUrl, token, check) {
  const headers = { Authorization: `Bearer ${token}` };
  const put = disabled =>
    fetch(
      `${baseUrl}/api/golden-paths/kill-switches/action/goldenpath:register`,
      {
        method: 'PUT',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({
          disabled,
          reason: disabled
            ? 'catalog maintenance (CHG-42)'
            : 'catalog maintenance finished',
        }),
      },
    );
  const values = s0({
    name: 'basket-api',
    description: 'Baskets for the checkout flow.',
  });
  const repo = path.join(REPOS, 'basket-api.git');
  const off = await put(true);
  const stopped = await runTemplate(baseUrl, headers, values);
  const lifted = await put(false);
  check(
    'golden path: a runtime kill switch on register refuses the run at ledger:open with GP-K02 and nothing is created',
    off.status === 200 &&
      stopped.status === 'failed' &&
      /GP-K02: Action goldenpath:register is switched off by the platform team since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: catalog maintenance \(CHG-42\)/.test(
        stopped.log,
      ) &&
      !fs.existsSync(repo),
    `${off.status} ${stopped.status} repository ${
      fs.existsSync(repo) ? 'exists' : 'absent'
    }: ${stopped.log.slice(-300)}`,
  );
  const resumed = await runTemplate(baseUrl, headers, values);
  const commitsAfter = fs.existsSync(repo)
    ? gitLines(repo, ['rev-list', 'main'])
    : [];
  check(
    'golden path: after lifting the switch the same request runs through — one commit, entity registered',
    lifted.status === 200 &&
      resumed.status === 'completed' &&
      commitsAfter.length === 1 &&
      Boolean(await entity(baseUrl, headers, 'component:default/basket-api')),
    `${resumed.status} commits ${commitsAfter.length}: ${resumed.log.slice(
      -300,
    )}`,
  );
}

module.exports = { checkGoldenPath, checkKillSwitchResume };
