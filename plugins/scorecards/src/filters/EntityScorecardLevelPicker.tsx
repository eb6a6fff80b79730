import { useEffect, useMemo, useState } from 'react';
import Box from '@material-ui/core/Box';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import CheckBoxIcon from '@material-ui/icons/CheckBox';
import CheckBoxOutlineBlankIcon from '@material-ui/icons/CheckBoxOutlineBlank';
import { useApi } from '@backstage/frontend-plugin-api';
import {
  CatalogAutocomplete,
  catalogApiRef,
  useEntityList,
} from '@backstage/plugin-catalog-react';
import { levelLabel } from '../components/scorecardFormat';
import { useAsyncResult } from '@internal/suite-react';
import {
  EntityScorecardLevelFilter,
  SCORECARD_LEVEL_FIELD,
  SCORECARD_LEVEL_VALUES,
  ScorecardLevelFilters,
} from './EntityScorecardLevelFilter';

/** Props of {@link EntityScorecardLevelPicker}. */
export interface EntityScorecardLevelPickerProps {
  /** Levels selected when the URL carries none, e.g. `['none', 'L0']`. */
  initialFilter?: string[];
  /** Hides the picker while still applying `initialFilter`. */
  hidden?: boolean;
  /** Shows per level how many entities (of the selected kind) carry it; default true. */
  showCounts?: boolean;
}

const isLevel = (v: unknown): v is string =>
  typeof v === 'string' && (SCORECARD_LEVEL_VALUES as string[]).includes(v);

/**
 * Catalog index filter "Scorecard level" (§7.3 `MaturityLevelPicker`): filters the catalog on
 * the label `ops.example.com/maturity-level`, server side, through
 * {@link EntityScorecardLevelFilter} under the filter key `scorecardLevel` (kept in the URL as
 * `filters[scorecardLevel]=L1`). Offers every level in ladder order with its name
 * (`L1 · Operable`), and the number of entities at each level when the catalog's facets answer.
 */
export function EntityScorecardLevelPicker(
  props: EntityScorecardLevelPickerProps,
) {
  const { initialFilter = [], hidden = false, showCounts = true } = props;
  const {
    filters,
    updateFilters,
    queryParameters: { scorecardLevel: queryParameter },
  } = useEntityList<ScorecardLevelFilters>();
  const catalogApi = useApi(catalogApiRef);

  const fromQuery = useMemo(
    () => [queryParameter].flat().filter(isLevel),
    [queryParameter],
  );
  const [selected, setSelected] = useState<string[]>(
    fromQuery.length
      ? fromQuery
      : filters.scorecardLevel?.values ?? initialFilter.filter(isLevel),
  );
  // A URL change (back/forward, a shared link) wins over the picker's state.
  useEffect(() => {
    if (fromQuery.length) setSelected(fromQuery);
  }, [fromQuery]);
  useEffect(() => {
    updateFilters({
      scorecardLevel: selected.length
        ? new EntityScorecardLevelFilter(selected)
        : undefined,
    });
  }, [selected, updateFilters]);

  // Counts per level among entities of the selected kind; the picker works without them.
  const kind = filters.kind?.value;
  const facets = useAsyncResult(async () => {
    if (!showCounts) return {};
    const { facets: found } = await catalogApi.getEntityFacets({
      facets: [SCORECARD_LEVEL_FIELD],
      ...(kind ? { filter: { kind } } : {}),
    });
    return Object.fromEntries(
      (found[SCORECARD_LEVEL_FIELD] ?? []).map(f => [
        f.value.toLocaleLowerCase('en-US'),
        f.count,
      ]),
    ) as Record<string, number>;
  }, [catalogApi, kind, showCounts]);
  const counts = facets.value;

  if (hidden) return null;
  return (
    <Box pb={1} pt={1}>
      <CatalogAutocomplete<string, true>
        multiple
        disableCloseOnSelect
        label="Scorecard level"
        name="scorecard-level-picker"
        options={SCORECARD_LEVEL_VALUES as string[]}
        value={selected}
        onChange={(_event, values) => setSelected(values.filter(isLevel))}
        getOptionLabel={option => levelLabel(option)}
        renderOption={(option, { selected: checked }) => (
          <FormControlLabel
            control={
              <Checkbox
                icon={<CheckBoxOutlineBlankIcon fontSize="small" />}
                checkedIcon={<CheckBoxIcon fontSize="small" />}
                checked={checked}
              />
            }
            label={`${levelLabel(option)}${
              counts && showCounts
                ? ` (${counts[option.toLocaleLowerCase('en-US')] ?? 0})`
                : ''
            }`}
            onClick={event => event.preventDefault()}
          />
        )}
      />
    </Box>
  );
}
