import { ConfigReader } from '@backstage/config';
import { mockServices } from '@backstage/backend-test-utils';
import { parse } from 'yaml';
import { fakeLedger } from '../__fixtures__/fakeLedger';
import { fakeCatalog, demoCatalog } from '../__fixtures__/world';
import { createGoldenPathApproveAction } from './approve/approve';
import { createGoldenPathDescriptorAction } from './descriptor/descriptor';
import { createGoldenPathLedgerCloseAction } from './ledger/ledgerClose';
import { createGoldenPathLedgerOpenAction } from './ledger/ledgerOpen';
import { createGoldenPathLifecycleAction } from './lifecycle/lifecycle';
import { createGoldenPathPreviewAction } from './preview/preview';
import { createGoldenPathPublishGitAction } from './publish/publishGit';
import { createGoldenPathRegisterAction } from './register/register';
import { createGoldenPathValidateAction } from './validate/validate';

// Every action ships YAML examples (§4.1); each must be a steps list that uses the action with
// only inputs its schema declares, so the actions page never shows an example that cannot run.
const config = new ConfigReader({});
const { ledger } = fakeLedger();
const catalog = fakeCatalog(demoCatalog);
const auth = mockServices.auth();
const actions = [
  createGoldenPathValidateAction({
    catalog,
    config,
    auth,
    permissions: mockServices.permissions(),
  }),
  createGoldenPathPreviewAction({ config, ledger }),
  createGoldenPathLedgerOpenAction({ config, ledger, catalog, auth }),
  createGoldenPathApproveAction({ config, ledger, catalog, auth }),
  createGoldenPathDescriptorAction({ config }),
  createGoldenPathPublishGitAction({ config, ledger }),
  createGoldenPathRegisterAction({ config, ledger, catalog, auth }),
  createGoldenPathLifecycleAction({
    config,
    ledger,
    catalog,
    auth,
    permissions: mockServices.permissions(),
  }),
  createGoldenPathLedgerCloseAction({ config, ledger }),
];

describe.each(actions.map(a => [a.id, a] as const))(
  '%s examples',
  (id, action) => {
    it('has examples whose steps use it with declared inputs only', () => {
      expect(action.examples?.length).toBeGreaterThan(0);
      const declared = Object.keys(
        (action.schema?.input as { properties?: object })?.properties ?? {},
      );
      expect(declared.length).toBeGreaterThan(0);
      for (const example of action.examples ?? []) {
        const steps = parse(example.example).steps as {
          action: string;
          input: Record<string, unknown>;
        }[];
        const own = steps.filter(s => s.action === id);
        expect(own.length).toBeGreaterThan(0);
        for (const step of own) {
          for (const key of Object.keys(step.input))
            expect(declared).toContain(key);
        }
      }
    });
  },
);
