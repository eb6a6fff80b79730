import { Header, Page } from '@backstage/core-components';
import { ScorecardsPageContent } from './ScorecardsPage';

/** The page with its own header, for legacy apps (the new frontend system draws the header itself). */
export function LegacyScorecardsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Scorecards"
        subtitle="Maturity levels by owner, system and domain"
      />
      <ScorecardsPageContent />
    </Page>
  );
}
