import { JSX, useEffect, useMemo, useRef, useState } from 'react';
import {
  Box,
  Button,
  Link,
  Paper,
  Table,
  TableBody,
  TableRow,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  Content,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  coreApis,
  RouterLink,
  useApi,
  useApiHolder,
  useAppLocation,
  useAppNavigate,
  useAppNode,
} from '@backstage/frontend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  CALCULATOR_IDS,
  CALCULATOR_REGISTRY,
  CARDS,
  CalculatorId,
  Prefill,
  decodeShareQuery,
  encodeShareQuery,
  isDateDerived,
  opsAnnotation,
  isIsoDate,
  mergePrefills,
  priceBookMismatchNotice,
  resolvedVersionAt,
  withoutContradictedOffer,
} from '@internal/plugin-cost-calculators-common';
import {
  ScrollRegion,
  WholeWordsCell,
  WholeWordsHead,
} from '@internal/suite-react';
import type { CostCalculatorsContext } from '../api/CostCalculatorsApi';
import { CalculatorPanel } from './CalculatorPanel';
import { useCostCalculatorsContext } from './useCostCalculatorsContext';
import { useEntityPrefill } from './useEntityPrefill';
import { linkPrefill, withoutCleared } from './linkPrefill';
import { withoutReplacedStaleWarnings } from './useCostFacts';
import { PrefillProgress, PrefillStatus } from './PrefillNotices';
import { ArticleSources, ArticleSourcesKey } from './ArticleSources';

function isCalculatorId(id: string): id is CalculatorId {
  return (CALCULATOR_IDS as readonly string[]).includes(id);
}

/**
 * Splits the location into the page's base path and the open calculator, wherever the page
 * is mounted. Given the path the page is mounted at, a path below it that is not a calculator
 * id is an unknown id
 * (`/cost-calculators/rightsize` from a mistyped or outdated link), which the page names
 * instead of showing the list as if nothing had been asked for.
 */
function parsePath(
  pathname: string,
  mountBase: string | undefined,
): { base: string; id?: CalculatorId; unknownId?: string } {
  const trimmed = pathname.replace(/\/+$/, '');
  const last = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  if (isCalculatorId(last)) {
    return { base: trimmed.slice(0, trimmed.lastIndexOf('/')), id: last };
  }
  const base = mountBase?.replace(/\/+$/, '');
  if (base !== undefined && trimmed.startsWith(`${base}/`)) {
    return { base, unknownId: trimmed.slice(base.length + 1) };
  }
  return { base: trimmed };
}

/**
 * The path the page is mounted at, from the app's route tree (new frontend system); undefined
 * where the app has no route resolution to ask (the legacy system).
 */
function usePageBasePath(pathname: string): string | undefined {
  const node = useAppNode();
  const routeResolution = useApiHolder().get(coreApis.routeResolution);
  if (!node || !routeResolution) return undefined;
  const { matches } = routeResolution.resolvePath({ pathname, node });
  return matches[matches.length - 1]?.basePath;
}

function cardTitle(cardId: string): string {
  return CARDS.find(c => c.id === cardId)?.title ?? cardId;
}

/** The list's columns, each with the least width that keeps it readable; a narrower page scrolls the table sideways. */
const COLUMNS = [
  { label: 'Calculator', minWidth: '12rem' },
  { label: 'Question', minWidth: '18rem' },
  // The articles the calculator cites, by number; the key under the table gives their titles.
  { label: 'Sources', minWidth: '6rem' },
  { label: 'Entity card', minWidth: '8rem' },
] as const;

function CalculatorList(props: { base: string }) {
  return (
    <Paper>
      {/* on a phone the Question column is cut mid-line at the edge: a shadow says there is more */}
      <ScrollRegion label="Cost calculators" scrollHint>
        <Table aria-label="Cost calculators">
          <WholeWordsHead columns={COLUMNS} />
          <TableBody>
            {CALCULATOR_REGISTRY.map(entry => (
              <TableRow key={entry.id}>
                <WholeWordsCell component="th" scope="row">
                  <Link
                    component={RouterLink}
                    href={`${props.base}/${entry.id}`}
                  >
                    {entry.title}
                  </Link>
                  {/* The id is what share links and the markdown export use: secondary, not the name. */}
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    component="div"
                  >
                    {entry.id}
                  </Typography>
                </WholeWordsCell>
                <WholeWordsCell>{entry.question}</WholeWordsCell>
                <WholeWordsCell>
                  <ArticleSources sources={entry.sources} focusable={false} />
                </WholeWordsCell>
                <WholeWordsCell>{cardTitle(entry.card)}</WholeWordsCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </ScrollRegion>
      <ArticleSourcesKey />
    </Paper>
  );
}

type EntityState =
  | { status: 'none' }
  | { status: 'loading' }
  | { status: 'loaded'; entity: Entity }
  | { status: 'error'; message: string };

function useLinkedEntity(entityRef: string | undefined): EntityState {
  const catalogApi = useApi(catalogApiRef);
  const [state, setState] = useState<EntityState>(
    entityRef ? { status: 'loading' } : { status: 'none' },
  );
  useEffect(() => {
    if (!entityRef) {
      setState({ status: 'none' });
      return undefined;
    }
    let active = true;
    setState({ status: 'loading' });
    catalogApi.getEntityByRef(entityRef).then(
      entity => {
        if (!active) return;
        setState(
          entity
            ? { status: 'loaded', entity }
            : {
                status: 'error',
                message: `${entityRef} was not found in the catalog`,
              },
        );
      },
      e => active && setState({ status: 'error', message: String(e) }),
    );
    return () => {
      active = false;
    };
  }, [catalogApi, entityRef]);
  return state;
}

function CalculatorView(props: {
  id: CalculatorId;
  base: string;
  pathname: string;
  initialSearch: string;
  context: CostCalculatorsContext;
}) {
  const { id, base, pathname, initialSearch, context } = props;
  const navigate = useAppNavigate();
  // The query the form was (re)opened from: "Recompute for today" reopens it from the address
  // bar, which holds the edits made since, not from the link as first opened.
  const [search, setSearch] = useState(initialSearch);
  // Inputs the user typed into while the page is open: a recompute keeps their values, whatever
  // they are (a typed 9 is not a count worked out of a date, though it may equal one).
  const typed = useRef(new Set<string>());
  const decoded = useMemo(() => decodeShareQuery(id, search), [id, search]);
  const [asOf, setAsOf] = useState(decoded.asOf ?? context.asOf);
  const entityState = useLinkedEntity(decoded.entityRef);
  // A hand-edited link may carry a date that does not exist (2026-02-30): the calculator
  // reports it as an input error, prefill skips what needs date arithmetic, nothing throws.
  const asOfIsDate = isIsoDate(asOf);
  // The entity's prefill takes the cards' path: for C10 on a database, its dependents' pools.
  const fromEntity = useEntityPrefill(
    id,
    entityState.status === 'loaded' ? entityState.entity : undefined,
    {
      asOf,
      annotationMaxAgeDays: context.annotationMaxAgeDays,
      offers: context.priceBook.offers,
    },
  );
  const prefill: Prefill | undefined = useMemo(() => {
    if (entityState.status === 'loading' || fromEntity.state === 'loading')
      return undefined;
    const link = linkPrefill(id, decoded.inputs);
    // A link's provider or engine over the entity's drops the offer the annotations chose by
    // theirs; a link value drops the notices about the age of the fact or annotation it replaced.
    return withoutReplacedStaleWarnings(
      mergePrefills(
        link,
        withoutCleared(
          withoutContradictedOffer(link, fromEntity.prefill),
          decoded.cleared,
        ),
      ),
    );
  }, [id, decoded, entityState.status, fromEntity]);

  const location = useAppLocation();
  const recomputeForToday = () => {
    // The address bar stays a link to what is shown: today's date and book, not the link's.
    const params = new URLSearchParams(location.search);
    params.set('asOf', context.asOf);
    params.set('pb', resolvedVersionAt(context.priceBook, context.asOf));
    // Day and month counts worked out from the entity's dates as of the link's date are
    // worked out again for today, unless the user typed another value.
    const entityPrefill =
      fromEntity.state === 'loading' ? undefined : fromEntity.prefill;
    for (const [input, value] of Object.entries(entityPrefill?.values ?? {})) {
      if (
        isDateDerived(entityPrefill?.sources[input]) &&
        !typed.current.has(input) &&
        params.get(input) === String(value)
      ) {
        params.delete(input);
      }
    }
    navigate(`${pathname}?${params}`, { replace: true });
    setSearch(`?${params}`);
    setAsOf(context.asOf);
  };
  const mismatch = priceBookMismatchNotice(
    decoded.priceBookVersion,
    resolvedVersionAt(context.priceBook, asOf),
  );
  return (
    <Box>
      <Box mb={2}>
        <Link component={RouterLink} href={base || '/'}>
          All calculators
        </Link>
      </Box>
      {mismatch && <Alert severity="info">{mismatch}</Alert>}
      {decoded.unknownParams.length > 0 && (
        <Alert severity="info">
          Ignored link parameters that are not inputs of this calculator:{' '}
          {decoded.unknownParams.join(', ')}.
        </Alert>
      )}
      {decoded.conflictingParams.length > 0 && (
        <Alert severity="warning">
          The link gives different values for{' '}
          {decoded.conflictingParams.join(', ')}; none of them was used.
        </Alert>
      )}
      {entityState.status === 'error' && (
        <Alert severity="warning">
          Could not prefill from {decoded.entityRef}: {entityState.message}.
        </Alert>
      )}
      {asOf !== context.asOf && (
        <Alert
          severity={asOfIsDate ? 'info' : 'error'}
          action={
            <Button size="small" onClick={recomputeForToday}>
              Recompute for today
            </Button>
          }
        >
          {asOfIsDate
            ? `Computed as of ${asOf}, the date of the shared link.`
            : `The link's date asOf=${asOf} is not a date YYYY-MM-DD, so nothing is computed for it.`}
        </Alert>
      )}
      <Paper style={{ padding: 16, marginTop: 8 }}>
        <PrefillStatus prefill={fromEntity} />
        {prefill ? (
          <CalculatorPanel
            key={`${id}-${entityState.status}-${asOf}`}
            calculatorId={id}
            context={context}
            asOf={asOf}
            prefill={prefill}
            entityRef={decoded.entityRef}
            // Under the page's h1 ("Cost calculators"), the calculator is a section of it.
            headingLevel={2}
            initiallyCleared={decoded.cleared}
            entityService={
              entityState.status === 'loaded'
                ? opsAnnotation(
                    entityState.entity.metadata.annotations,
                    'service',
                  )
                : undefined
            }
            onInputsChange={(inputs, cleared, edited) => {
              edited.forEach(input => typed.current.add(input));
              navigate(
                `${pathname}?${encodeShareQuery({
                  calculatorId: id,
                  inputs,
                  priceBookVersion: resolvedVersionAt(context.priceBook, asOf),
                  asOf,
                  entityRef: decoded.entityRef,
                  cleared,
                })}`,
                { replace: true },
              );
            }}
          />
        ) : (
          <PrefillProgress />
        )}
      </Paper>
    </Box>
  );
}

/** The standalone page: every calculator, each usable without an entity; `/:id` opens one, the query restores its inputs. */
export function CostCalculatorsContent(props: {
  /**
   * Draw the page's h1; off when the page already has one: the legacy page's `Header`, the new
   * frontend system's plugin header (which gave the page two h1s of the same text).
   */
  heading?: boolean;
}) {
  const { heading = true } = props;
  const location = useAppLocation();
  const state = useCostCalculatorsContext();
  const { base, id, unknownId } = parsePath(
    location.pathname,
    usePageBasePath(location.pathname),
  );
  // The query is read when a calculator opens; later edits rewrite it without remounting the form.
  const [opened, setOpened] = useState<{ id?: CalculatorId; search: string }>({
    id,
    search: location.search,
  });
  if (opened.id !== id) setOpened({ id, search: location.search });

  let body: JSX.Element;
  if (state.loading) body = <Progress />;
  else if (state.error) body = <ResponseErrorPanel error={state.error} />;
  else if (!id)
    body = (
      <>
        {unknownId && (
          <Box mb={2}>
            <Alert severity="warning">
              There is no calculator “{unknownId}”. Pick one of the calculators
              below.
            </Alert>
          </Box>
        )}
        <CalculatorList base={base} />
      </>
    );
  else
    body = (
      <CalculatorView
        id={id}
        base={base}
        pathname={location.pathname}
        initialSearch={opened.id === id ? opened.search : location.search}
        context={state.value}
      />
    );
  return (
    <Content>
      {/* The new frontend system's page title is not a heading element; one calculator's title is the h2 under it. */}
      {heading && (
        <Typography variant="h5" component="h1" gutterBottom>
          Cost calculators
        </Typography>
      )}
      <Typography variant="body1" paragraph>
        Decision calculators with the arithmetic shown, the rules of the
        articles they cite as a recommendation, and the prices they used with
        their age.
      </Typography>
      {body}
    </Content>
  );
}
