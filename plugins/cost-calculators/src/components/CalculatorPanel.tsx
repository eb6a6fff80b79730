import { useEffect, useMemo, useRef, useState } from 'react';
import { Box, Button, Link, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { RouterLink } from '@backstage/frontend-plugin-api';
import {
  CALCULATORS,
  CalcContext,
  CalcResult,
  CalculatorId,
  Prefill,
  buildShareLink,
  encodeShareQuery,
  renderMarkdown,
  resolvedVersionAt,
} from '@internal/plugin-cost-calculators-common';
import type { CostCalculatorsContext } from '../api/CostCalculatorsApi';
import { CalculatorInputs } from './CalculatorInputs';
import { CalculatorResult } from './CalculatorResult';
import {
  Draft,
  DraftValue,
  computeSafely,
  linkedInputs,
  toDraft,
  toInput,
} from './calculatorState';
import { offerFieldChoices } from './offerField';
import { inputFieldsOf } from './inputFields';
import {
  isErrorShown,
  pendingInputs,
  pendingSentence,
  withLabels,
  withoutClientRow,
} from './inputErrors';
import type { SubheadingElement } from './headings';
import type { FocusClient } from './componentBudget';
import { PREFILL_NOTICE_KINDS, PrefillNotices } from './PrefillNotices';
import { ArticleSources } from './ArticleSources';

/** Props of {@link CalculatorPanel}. */
export interface CalculatorPanelProps {
  calculatorId: CalculatorId;
  context: CostCalculatorsContext;
  /** Date to compute for; defaults to the context's today (a share link carries its own). */
  asOf?: string;
  /** Prefilled inputs (link › cost facts › annotation), with sources and warnings. */
  prefill: Prefill;
  entityRef?: string;
  /** Show "Open full page" (cards). */
  showOpenFullPage?: boolean;
  /**
   * Called with the current inputs after every edit (the page mirrors them into its URL), and
   * the inputs emptied although the prefill filled them (a link must keep them empty).
   */
  onInputsChange?(
    inputs: Record<string, unknown>,
    cleared: readonly string[],
    edited: ReadonlySet<string>,
  ): void;
  /**
   * Inputs the link says its author emptied (`cleared=`): they stay listed as cleared while
   * they stay empty, so the next link keeps them empty too.
   */
  initiallyCleared?: readonly string[];
  /**
   * Level of the calculator's title: 3 in an entity card (under the card's title), 2 on the
   * page (under its h1). Its sections' headings sit one level below.
   */
  headingLevel?: 2 | 3;
  /**
   * C10 on a Component's page (§1: "same card scoped to its row"): the Component and its client
   * row; the result shows its share of the database's budget and the chart highlights it.
   */
  focusClient?: FocusClient;
  /**
   * Results of the card's other calculators for this entity: C2's right-sized cost defaults to
   * C1's result (§2 C2), with a chip that says so.
   */
  linkedResults?: CalcContext['linkedResults'];
  /** Called with the result whenever it changes (undefined while the inputs cannot be computed). */
  onResult?(result: CalcResult | undefined): void;
  /**
   * The form as the user left it, to start from instead of the prefill: a card's tabs show one
   * calculator at a time, and switching back must not lose what was typed (nor C2 the C1
   * result it follows).
   */
  savedState?: PanelState;
  /** Called with the form's state after every change (the card keeps it for {@link savedState}). */
  onStateChange?(state: PanelState): void;
  /** The entity's `ops.example.com/service`: C6 lists the offers of that service first. */
  entityService?: string;
}

/** What the form holds: values, which the user edited or left, and whether a result was asked for. */
export interface PanelState {
  draft: Draft;
  edited: ReadonlySet<string>;
  touched: ReadonlySet<string>;
  submitted: boolean;
}

async function copy(text: string): Promise<void> {
  if (!navigator.clipboard) throw new Error('Clipboard not available');
  await navigator.clipboard.writeText(text);
}

/**
 * The inputs the user emptied although the prefill filled them: a link leaves them out, and
 * without saying they were emptied the recipient's form would fill them from the entity again.
 */
function clearedInputs(
  draft: Draft,
  edited: ReadonlySet<string>,
  prefill: Prefill,
  initiallyCleared: readonly string[] = [],
): string[] {
  const blank = (id: string) =>
    draft[id] === undefined ||
    (typeof draft[id] === 'string' && (draft[id] as string).trim() === '');
  const ids = new Set([
    ...[...edited].filter(id => prefill.values[id] !== undefined),
    ...initiallyCleared,
  ]);
  return [...ids].filter(blank);
}

/** One calculator: form, result and the copy/share actions. */
export function CalculatorPanel(props: CalculatorPanelProps) {
  const { calculatorId, context, prefill, entityRef, onInputsChange } = props;
  const headingLevel = props.headingLevel ?? 3;
  const subheading: SubheadingElement = headingLevel === 2 ? 'h3' : 'h4';
  const asOf = props.asOf ?? context.asOf;
  const calculator = CALCULATORS[calculatorId];
  const fields = inputFieldsOf(calculatorId);
  const idPrefix = `cc-${calculatorId}${
    entityRef ? `-${entityRef.replace(/[^a-z0-9-]/gi, '-')}` : ''
  }`;
  const saved = props.savedState;
  const [draft, setDraft] = useState<Draft>(
    () => saved?.draft ?? toDraft(prefill.values),
  );
  const [edited, setEdited] = useState<ReadonlySet<string>>(
    saved?.edited ?? new Set(),
  );
  // Inputs the user changed or left, and whether they asked for a result: until then an empty
  // field's "required" stays quiet (the result area says what is missing instead).
  const [touched, setTouched] = useState<ReadonlySet<string>>(
    saved?.touched ?? new Set(),
  );
  const [submitted, setSubmitted] = useState(saved?.submitted ?? false);
  const [status, setStatus] = useState<string>('');
  const lastValid = useRef<CalcResult | undefined>(undefined);
  const { linkedResults } = props;

  const outcome = useMemo(
    () =>
      computeSafely(calculatorId, draft, {
        asOf,
        priceBook: context.priceBook,
        prefill,
        edited,
        linkedResults,
      }),
    [
      calculatorId,
      draft,
      asOf,
      context.priceBook,
      prefill,
      edited,
      linkedResults,
    ],
  );
  if (outcome.ok) lastValid.current = outcome.result;
  const result = outcome.ok ? outcome.result : undefined;
  // Refs: the callbacks are the parent's, and a new function each render must not re-report.
  const onResult = useRef(props.onResult);
  onResult.current = props.onResult;
  useEffect(() => {
    onResult.current?.(result);
  }, [result]);
  const onStateChange = useRef(props.onStateChange);
  onStateChange.current = props.onStateChange;
  useEffect(() => {
    onStateChange.current?.({ draft, edited, touched, submitted });
  }, [draft, edited, touched, submitted]);
  const shown = outcome.ok ? outcome.result : lastValid.current;
  const errors = outcome.ok ? [] : outcome.errors;
  const shownErrors = errors.filter(e =>
    isErrorShown(e, { fields, draft, touched, submitted }),
  );
  const fieldIds = new Set(fields.map(f => f.id));
  const otherErrors = shownErrors.filter(
    e => !fieldIds.has(e.input) && !e.input.startsWith('clients['),
  );
  const pending = pendingSentence(pendingInputs(errors, fields, draft));

  const touch = (input: string) =>
    setTouched(prev => (prev.has(input) ? prev : new Set(prev).add(input)));
  const onChange = (id: string, value: DraftValue) => {
    const next = { ...draft, [id]: value };
    const nextEdited = new Set(edited).add(id);
    setDraft(next);
    setEdited(nextEdited);
    touch(id);
    onInputsChange?.(
      toInput(next),
      clearedInputs(next, nextEdited, prefill, props.initiallyCleared),
      nextEdited,
    );
  };

  const shareState = {
    calculatorId,
    // A value taken from another tab's result goes with the link (its recipient has no such
    // result); what the user typed wins.
    inputs: { ...linkedInputs(result), ...toInput(draft) },
    priceBookVersion: resolvedVersionAt(context.priceBook, asOf),
    asOf,
    entityRef,
    cleared: clearedInputs(draft, edited, prefill, props.initiallyCleared),
  };
  const share = buildShareLink(context.baseUrl, shareState);

  const copyMarkdown = async () => {
    if (!outcome.ok) return;
    try {
      await copy(
        renderMarkdown(outcome.result, { entityRef, link: share.url }),
      );
      setStatus('Markdown copied to the clipboard.');
    } catch (e) {
      setStatus(`Could not copy: ${(e as Error).message}.`);
    }
  };
  const copyLink = async () => {
    try {
      await copy(share.url);
      setStatus(
        share.tooLong
          ? 'Link copied, but it is longer than 2,000 characters and may be cut off.'
          : 'Link copied to the clipboard.',
      );
    } catch (e) {
      setStatus(`Could not copy: ${(e as Error).message}.`);
    }
  };

  return (
    <Box>
      <Typography variant="h6" component={`h${headingLevel}`}>
        {calculator.title}
      </Typography>
      <Typography variant="body2" color="textSecondary" gutterBottom>
        {calculator.question} (sources:{' '}
        <ArticleSources sources={calculator.sources} />)
      </Typography>
      {context.priceBook.overrideErrors.length > 0 && (
        <Alert severity="error" style={{ marginBottom: 8 }}>
          Price-book overrides not applied; results use the bundled prices:{' '}
          {context.priceBook.overrideErrors.map(e => e.message).join(' ')}
        </Alert>
      )}
      {context.settingErrors.length > 0 && (
        <Alert severity="warning" style={{ marginBottom: 8 }}>
          {context.settingErrors.map(e => e.message).join(' ')}
        </Alert>
      )}
      <form
        aria-label={`${calculator.title} inputs`}
        onSubmit={e => {
          e.preventDefault();
          setSubmitted(true);
        }}
        noValidate
      >
        <PrefillNotices warnings={prefill.warnings} />
        <CalculatorInputs
          idPrefix={idPrefix}
          fields={fields}
          draft={draft}
          edited={edited}
          resolved={shown?.inputs}
          prefillSources={prefill.sources}
          errors={shownErrors}
          prefillWarnings={prefill.warnings}
          annotationMaxAgeDays={context.annotationMaxAgeDays}
          onChange={onChange}
          onTouch={touch}
          onRemoveClientRow={i => setTouched(prev => withoutClientRow(prev, i))}
          subheading={subheading}
          choices={
            calculatorId === 'db-licensing'
              ? {
                  offerId: offerFieldChoices(
                    context.priceBook,
                    draft,
                    props.entityService,
                  ),
                }
              : undefined
          }
        />
        {/* Results follow every edit; this is how the user asks for one while inputs are missing. */}
        <Box mt={1}>
          <Button type="submit" variant="outlined" color="primary" size="small">
            Compute
          </Button>
        </Box>
      </form>
      {otherErrors.map((e, i) => (
        <Alert key={i} severity="error" role="alert">
          {withLabels(e.message, fields)}
        </Alert>
      ))}
      {shownErrors.length > 0 && (
        <Typography variant="srOnly" role="alert">
          {shownErrors.map(e => withLabels(e.message, fields)).join(' ')}
        </Typography>
      )}
      {pending && (
        // A note, not an alert: nothing is wrong yet, the result just needs these inputs.
        <Alert
          severity="info"
          role="note"
          data-testid="result-pending"
          style={{ marginTop: 16 }}
        >
          {pending}
        </Alert>
      )}
      {shown && (
        <CalculatorResult
          result={shown}
          outdated={!outcome.ok}
          // Already shown with the form, whatever the outcome.
          hideWarningKinds={PREFILL_NOTICE_KINDS}
          subheading={subheading}
          priceBook={context.priceBook}
          focusClient={props.focusClient}
        />
      )}
      <Box mt={2} display="flex" flexWrap="wrap" style={{ gap: 8 }}>
        <Button
          variant="outlined"
          size="small"
          onClick={copyMarkdown}
          disabled={!outcome.ok}
        >
          Copy as markdown
        </Button>
        <Button variant="outlined" size="small" onClick={copyLink}>
          Copy link
        </Button>
        {props.showOpenFullPage && (
          // A link, not a button: it navigates (and opens in a new tab on middle click).
          <Link
            component={RouterLink}
            href={`/cost-calculators/${calculatorId}?${encodeShareQuery(
              shareState,
            )}`}
            style={{ alignSelf: 'center' }}
          >
            Open full page
          </Link>
        )}
      </Box>
      <Typography variant="body2" role="status" aria-live="polite">
        {status}
      </Typography>
    </Box>
  );
}
