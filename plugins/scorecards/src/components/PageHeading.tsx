import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import { useScorecardsLinks } from './ScorecardsLinks';

type PageKey = 'rollups' | 'checks' | 'campaigns';

const LABELS: Record<PageKey, string> = {
  rollups: 'Rollups',
  checks: 'Checks',
  campaigns: 'Campaigns',
};

/**
 * The heading of a scorecards page with links to the other pages of the plugin (those that
 * are mounted), in a labelled navigation landmark. An `h2`: the page's `h1` is the app's page
 * header (the new frontend system's plugin header names the page, the legacy page its
 * `Header`), so an `h1` here gave every page two; the page's sections are `h3`.
 */
export function PageHeading(props: { title: string; current?: PageKey }) {
  const links = useScorecardsLinks();
  const others = (Object.keys(LABELS) as PageKey[]).filter(
    k => k !== props.current && links[k],
  );
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="baseline"
      justifyContent="space-between"
      gridGap={16}
      mb={1}
    >
      <Typography variant="h5" component="h2">
        {props.title}
      </Typography>
      {others.length > 0 && (
        <Box
          component="nav"
          aria-label="Scorecards pages"
          display="flex"
          gridGap={16}
        >
          {others.map(k => (
            <Link key={k} to={links[k]!}>
              {LABELS[k]}
            </Link>
          ))}
        </Box>
      )}
    </Box>
  );
}
