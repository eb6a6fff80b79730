import { ReactNode, createContext, useContext } from 'react';

/**
 * Where the plugin's pages are mounted, as app hrefs; a page that is not mounted (or an
 * extension that is disabled) is `undefined` and its links are not rendered. The pages read
 * this instead of route refs so the same components serve both frontend systems: the new
 * system resolves it from its route refs (`NewSystemPages`), the legacy page from its
 * sub-route refs (`LegacyScorecardsPage`).
 */
export interface ScorecardsLinks {
  rollups?: string;
  checks?: string;
  campaigns?: string;
  campaign?: (id: string) => string;
}

const LinksContext = createContext<ScorecardsLinks>({});

/** Provides the hrefs of the plugin's pages to the pages below it. */
export function ScorecardsLinksProvider(props: {
  value: ScorecardsLinks;
  children: ReactNode;
}) {
  return (
    <LinksContext.Provider value={props.value}>
      {props.children}
    </LinksContext.Provider>
  );
}

/** The hrefs of the plugin's pages (empty outside a provider). */
export function useScorecardsLinks(): ScorecardsLinks {
  return useContext(LinksContext);
}
