import { Header, Page } from '@backstage/core-components';
import { CostCalculatorsContent } from './CostCalculatorsPage';

/** The page with its own header, for legacy apps (the new frontend system draws the header itself). */
export function LegacyCostCalculatorsPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Cost calculators"
        subtitle="Commit, schedule, tier or migrate: the arithmetic, the rules and the prices used"
      />
      {/* The Header is the page's h1. */}
      <CostCalculatorsContent heading={false} />
    </Page>
  );
}
