import type {
  RequestKind,
  RuleResult,
} from '@internal/plugin-golden-paths-common';
import type { PublishSettings } from '../../config/readConfig';
import type { ProvisionerGap } from '../../provisioners/createDatabaseProvisioner';

/**
 * GP-U03 (ours, after GP-U02 whose shape it takes: a platform setting this installation cannot
 * carry out, refused before anything exists). The publish combinations the templates cannot
 * complete used to fail only after approval, in the publish or register step — or, for a
 * database in GitHub mode, after the database was created:
 *
 * - `github` without `publish.github.org`: no repository owner, so `names.repoUrl` is empty and
 *   the descriptor would link to `file://` paths;
 * - `gitlab`: no template has a GitLab publish step (register needs a catalogInfoUrl it never
 *   gets);
 * - a database in `github` mode: its Resource travels in the github-terraform provisioner's pull
 *   request, which is not built; the local provisioner would create the database and then no
 *   step would publish or register it.
 *
 * - a database without a provisioner (`noProvisioner`: no admin connection, or a provisioner this
 *   module lacks): the plan step refused it, after the request key was claimed.
 *
 * Lifecycle requests publish nothing new (the action changes the entity's own repository and
 * refuses what it cannot reach), so they are never refused here.
 */
export function publishSupportRefusal(
  kind: RequestKind,
  publish: PublishSettings,
  noProvisioner?: ProvisionerGap,
): RuleResult | undefined {
  if (kind === 'lifecycle') return undefined;
  const refuse = (why: string, fix: string): RuleResult => ({
    id: 'GP-U03',
    outcome: 'deny',
    field: 'goldenPaths.publish.mode',
    message: `GP-U03: Cannot publish a ${kind} in goldenPaths.publish.mode ${publish.mode}: ${why}. Nothing was created; the platform team has to ${fix}.`,
  });
  if (publish.mode === 'gitlab') {
    return refuse(
      'no golden-path template has a GitLab publish step yet',
      'set goldenPaths.publish.mode to local or github',
    );
  }
  if (publish.mode === 'github' && kind === 'database') {
    return refuse(
      'its Resource travels in the infrastructure pull request of the github-terraform provisioner, which is not built yet',
      'set goldenPaths.publish.mode to local',
    );
  }
  if (publish.mode === 'github' && !publish.githubOrg) {
    return refuse('goldenPaths.publish.github.org is not set', 'set it');
  }
  if (kind === 'database' && noProvisioner) {
    return {
      ...refuse(noProvisioner.why, noProvisioner.fix),
      field: noProvisioner.setting,
    };
  }
  return undefined;
}
