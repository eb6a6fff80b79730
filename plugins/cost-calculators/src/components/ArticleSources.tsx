import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Tooltip,
  Typography,
  makeStyles,
} from '@material-ui/core';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { CALCULATOR_REGISTRY } from '@internal/plugin-cost-calculators-common';

/**
 * The articles the calculators and their rules cite by number (the design note's sources), by
 * their titles: a bare "00, 02" names nothing a reader can look up, a title does.
 */
export const ARTICLE_TITLES: Readonly<Record<string, string>> = {
  '00': 'The Math Behind Database Reserved Instances: When to Wait',
  '01': 'BigQuery Cost Optimization: On-Demand vs Slot Commitments',
  '02': 'Database Licensing Cost Across AWS, Azure, GCP, and OCI',
  '03': 'Cloud Database Cost Engineering: How to Reduce Database, Data Warehouse, and Licensing Spend Across Azure, AWS, GCP, and OCI',
  '07': 'DB Team Automation Roadmap: Backups, Patching, Refreshes, Provisioning, and Guardrails',
  '18': 'AWS vs Azure vs GCP vs OCI for Database-Backed Systems: Decision Framework',
  '26': 'pgcrypto vs KMS vs HSM: Decision Framework',
  '44': 'Self-Service Database Provisioning: Catalog Request, Terraform Module, Policy, and Audit',
  '51': 'GCP Database Cost Review: Cloud SQL, Spanner, Bigtable, Memorystore, and BigQuery',
  '55': 'GCP Reference Architecture: Cloud Run, Load Balancing, Cloud SQL, Memorystore, and Pub/Sub',
  '59': 'Azure E-Commerce Order Pipeline: Service Bus, Functions, SQL, and Cosmos DB',
  '60': 'Terraform for RDS and Aurora: What Should Be Automated and What Should Stay Manual',
  '67': 'AWS Reference Architecture: ALB, ECS, RDS, ElastiCache, and SQS',
  '68': 'Terraform Module Design Checklist for Database Infrastructure',
  '79': 'Why Self-Service Infrastructure Still Needs Guardrails',
};

/** `article 55`, `articles 00, 02, 51, 60`. */
export function articlesText(sources: readonly string[]): string {
  return `${sources.length === 1 ? 'article' : 'articles'} ${sources.join(
    ', ',
  )}`;
}

/** `00 The Math Behind …`; a number without a known title stays a number. */
function articleLine(source: string): string {
  const title = ARTICLE_TITLES[source];
  return title ? `${source} ${title}` : source;
}

const useStyles = makeStyles(theme => ({
  // Dotted like an abbreviation: there is more to read on hover or focus.
  cited: {
    textDecoration: 'underline dotted',
    cursor: 'help',
    '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}` },
  },
  titles: { margin: 0, paddingLeft: theme.spacing(2) },
}));

/**
 * Article numbers as cited ("articles 00, 02"), with their titles in a tooltip. It takes focus
 * (unless `focusable` is false where a key of all titles is on the page), so keyboard and screen
 * reader users get the titles too: the tooltip describes the text while it is shown.
 */
export function ArticleSources(props: {
  sources: readonly string[];
  focusable?: boolean;
}) {
  const { sources, focusable = true } = props;
  const classes = useStyles();
  if (sources.length === 0) return null;
  return (
    <Tooltip
      title={
        <>
          Source {sources.length === 1 ? 'article' : 'articles'}:
          <ul className={classes.titles}>
            {sources.map(s => (
              <li key={s}>{articleLine(s)}</li>
            ))}
          </ul>
        </>
      }
    >
      <span
        className={classes.cited}
        // Focus is what opens the titles' tooltip for keyboard users (WCAG 2.1.1, 1.4.13), as on
        // the suite's risk chips; the tooltip then describes the numbers to screen readers.
        // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
        tabIndex={focusable ? 0 : undefined}
        data-testid="article-sources"
      >
        {articlesText(sources)}
      </span>
    </Tooltip>
  );
}

/** Every article a calculator cites, in number order. */
function citedArticles(): string[] {
  return [...new Set(CALCULATOR_REGISTRY.flatMap(c => c.sources))].sort();
}

/** The list page's key to its Sources column: every cited article by number and title, in text. */
export function ArticleSourcesKey() {
  const classes = useStyles();
  return (
    <Accordion>
      <AccordionSummary expandIcon={<ExpandMoreIcon />}>
        <Typography>Source articles: what the numbers stand for</Typography>
      </AccordionSummary>
      <AccordionDetails style={{ display: 'block' }}>
        <Typography variant="body2" paragraph>
          The calculators' arithmetic and rules come from these articles, cited
          by number in the Sources column, in each calculator's question and in
          its rules.
        </Typography>
        <ul aria-label="Source articles" className={classes.titles}>
          {citedArticles().map(s => (
            <li key={s}>
              <Typography variant="body2">{articleLine(s)}</Typography>
            </li>
          ))}
        </ul>
      </AccordionDetails>
    </Accordion>
  );
}
