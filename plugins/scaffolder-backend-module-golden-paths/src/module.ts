import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { evidenceServiceRef } from '@internal/plugin-evidence-node';
import { goldenPathsServiceRef } from '@internal/plugin-golden-paths-node';
import { createGoldenPathDatabaseApplyAction } from './actions/database/databaseApply';
import { createGoldenPathDatabaseDescriptorAction } from './actions/database/databaseDescriptor';
import { createGoldenPathDatabasePlanAction } from './actions/database/databasePlan';
import {
  createDatabaseProvisioner,
  provisionerGap,
} from './provisioners/createDatabaseProvisioner';
import { createGoldenPathApproveAction } from './actions/approve/approve';
import { createGoldenPathDescriptorAction } from './actions/descriptor/descriptor';
import { createGoldenPathLedgerCloseAction } from './actions/ledger/ledgerClose';
import { createGoldenPathLedgerOpenAction } from './actions/ledger/ledgerOpen';
import { createGoldenPathLifecycleAction } from './actions/lifecycle/lifecycle';
import { createGoldenPathPreviewAction } from './actions/preview/preview';
import { createGoldenPathPublishGitAction } from './actions/publish/publishGit';
import { createGoldenPathRegisterAction } from './actions/register/register';
import { createGoldenPathValidateAction } from './actions/validate/validate';
import {
  checkGoldenPathsConfig,
  productionDefaultWarnings,
} from './config/checkConfig';

/** Registers the golden-path actions with the scaffolder. */
export const scaffolderModuleGoldenPaths = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'golden-paths',
  register(env) {
    env.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        auditor: coreServices.auditor,
        logger: coreServices.logger,
        ledger: goldenPathsServiceRef,
        evidence: evidenceServiceRef,
        urlReader: coreServices.urlReader,
      },
      async init({
        scaffolder,
        catalog,
        config,
        auth,
        permissions,
        auditor,
        logger,
        ledger,
        evidence,
        urlReader,
      }) {
        // A mistyped setting stops the backend here, naming the key (not the first request).
        checkGoldenPathsConfig(config);
        for (const warning of productionDefaultWarnings(config)) {
          logger.warn(warning);
        }
        const provisioner = createDatabaseProvisioner(config, logger);
        const database = {
          config,
          ledger,
          provisioner,
          catalog,
          auth,
          auditor,
        };
        const actions = [
          // The ledger client only for the read-only lookup of the request's row (§4.9);
          // permissions for lifecycle requests (§6.4), refused before approval is requested.
          createGoldenPathValidateAction({
            catalog,
            config,
            auth,
            permissions,
            auditor,
            ledger,
            // A database request without a provisioner is refused at preflight (GP-U03).
            noProvisioner: provisioner ? undefined : provisionerGap(config),
          }),
          // Catalog and provisioner for the destroy plan of a database Resource's delete (§7.1).
          createGoldenPathPreviewAction({
            config,
            ledger,
            auditor,
            catalog,
            auth,
            provisioner,
          }),
          createGoldenPathLedgerOpenAction({
            config,
            ledger,
            catalog,
            auth,
            auditor,
            urlReader,
          }),
          // The catalog for the eligible approvers a dry run reports (GP-A06).
          createGoldenPathApproveAction({
            config,
            ledger,
            catalog,
            auth,
            auditor,
          }),
          createGoldenPathDescriptorAction({ config, auditor, ledger }),
          createGoldenPathPublishGitAction({
            config,
            ledger,
            auditor,
            evidence,
          }),
          createGoldenPathRegisterAction({
            config,
            ledger,
            catalog,
            auth,
            auditor,
          }),
          createGoldenPathDatabasePlanAction(database),
          // Database applies land in the change ledger as `infra` changes (§4.9).
          createGoldenPathDatabaseApplyAction({
            ...database,
            changes: evidence,
          }),
          createGoldenPathDatabaseDescriptorAction({
            config,
            ledger,
            catalog,
            auth,
            auditor,
          }),
          // The initiator needs goldenpaths.lifecycle.transition on the entity (§6.4); deleting a
          // database Resource destroys through the provisioner and leaves an `infra` tombstone.
          createGoldenPathLifecycleAction({
            config,
            ledger,
            catalog,
            auth,
            permissions,
            auditor,
            provisioner,
            changes: evidence,
          }),
          createGoldenPathLedgerCloseAction({ config, ledger, auditor }),
        ];
        scaffolder.addActions(...actions);
        logger.info(
          `Registered golden-path actions: ${actions
            .map(a => a.id)
            .join(', ')}`,
        );
      },
    });
  },
});
