import { createContext, ReactNode, useContext, useMemo } from 'react';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import {
  approvalsRouteRef,
  DEFAULT_PATHS,
  encodeRequestKey,
  killSwitchesRouteRef,
  requestRouteRef,
  requestsRouteRef,
} from '../routes';

/** Where the plugin's views link to. */
export interface GoldenPathsLinks {
  approvals(): string;
  requests(): string;
  request(key: string): string;
  killSwitches(): string;
  lifecycleTemplate(): string;
  /** The scaffolder's page of one task: its log holds the full message of a failure. */
  scaffolderTask(taskId: string): string;
}

/** The fixed paths of the README's legacy installation. */
export const defaultLinks: GoldenPathsLinks = {
  approvals: () => DEFAULT_PATHS.approvals,
  requests: () => DEFAULT_PATHS.requests,
  request: key => `${DEFAULT_PATHS.requests}/${encodeRequestKey(key)}`,
  killSwitches: () => DEFAULT_PATHS.killSwitches,
  lifecycleTemplate: () => DEFAULT_PATHS.lifecycleTemplate,
  scaffolderTask: taskId =>
    `${DEFAULT_PATHS.scaffolderTasks}/${encodeURIComponent(taskId)}`,
};

const LinksContext = createContext<GoldenPathsLinks>(defaultLinks);

/** The links of the surrounding app (route refs in the new frontend system, else the defaults). */
export function useGoldenPathsLinks(): GoldenPathsLinks {
  return useContext(LinksContext);
}

/**
 * New frontend system: resolves the plugin's route refs, so pages moved by config are still
 * linked; a ref the app did not mount falls back to its default path.
 */
export function RoutedLinks(props: { children: ReactNode }) {
  const approvals = useRouteRef(approvalsRouteRef);
  const requests = useRouteRef(requestsRouteRef);
  const request = useRouteRef(requestRouteRef);
  const killSwitches = useRouteRef(killSwitchesRouteRef);
  const links = useMemo<GoldenPathsLinks>(
    () => ({
      approvals: () => approvals?.() ?? defaultLinks.approvals(),
      requests: () => requests?.() ?? defaultLinks.requests(),
      request: key =>
        request?.({ key: encodeRequestKey(key) }) ?? defaultLinks.request(key),
      killSwitches: () => killSwitches?.() ?? defaultLinks.killSwitches(),
      lifecycleTemplate: defaultLinks.lifecycleTemplate,
      // the scaffolder's pages are another plugin's, at its default path as the template link
      scaffolderTask: defaultLinks.scaffolderTask,
    }),
    [approvals, requests, request, killSwitches],
  );
  return (
    <LinksContext.Provider value={links}>
      {props.children}
    </LinksContext.Provider>
  );
}
