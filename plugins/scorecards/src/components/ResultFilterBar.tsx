import type { CheckResult } from '@internal/plugin-scorecards-common';
import { LabelledSelect } from '@internal/suite-react';
import {
  ALL,
  CLASSES,
  LEVELS,
  NO_LEVEL,
  ResultFilter,
  STATES,
  countBy,
  groupByTheme,
  resultValues,
  themeTitle,
} from './resultFilters';
import { FilterToolbar } from './FilterToolbar';

/**
 * The tab's filters by state, class, level and theme (§7.2), combinable. Each option carries
 * the number of the entity's results with that value, whatever the other filters say.
 */
export function ResultFilterBar(props: {
  results: readonly CheckResult[];
  filter: ResultFilter;
  onChange: (filter: ResultFilter) => void;
}) {
  const { results, filter, onChange } = props;
  const set = <K extends keyof ResultFilter>(key: K, value: ResultFilter[K]) =>
    onChange({ ...filter, [key]: value });
  const counts = {
    state: countBy(results, resultValues.state),
    checkClass: countBy(results, resultValues.checkClass),
    level: countBy(results, resultValues.level),
    theme: countBy(results, resultValues.theme),
  };
  const withCount = (label: string, n: number | undefined) =>
    `${label} (${n ?? 0})`;
  const themes = groupByTheme(results).map(g => g.key);

  return (
    <FilterToolbar dense>
      <LabelledSelect
        id="scorecard-state-filter"
        label="State"
        value={filter.state}
        options={[ALL, ...STATES]}
        optionLabel={s =>
          s === ALL ? 'All states' : withCount(s, counts.state.get(s))
        }
        onChange={v => set('state', v)}
      />
      <LabelledSelect
        id="scorecard-class-filter"
        label="Class"
        value={filter.checkClass}
        options={[ALL, ...CLASSES]}
        optionLabel={c =>
          c === ALL ? 'All classes' : withCount(c, counts.checkClass.get(c))
        }
        onChange={v => set('checkClass', v)}
      />
      <LabelledSelect
        id="scorecard-level-filter"
        label="Level"
        value={filter.level}
        options={[ALL, ...LEVELS]}
        optionLabel={l =>
          l === ALL
            ? 'All levels'
            : withCount(l === NO_LEVEL ? 'no level' : l, counts.level.get(l))
        }
        onChange={v => set('level', v)}
      />
      <LabelledSelect
        id="scorecard-theme-filter"
        label="Theme"
        value={filter.theme}
        options={[ALL, ...themes]}
        optionLabel={t =>
          t === ALL
            ? 'All themes'
            : withCount(themeTitle(t), counts.theme.get(t))
        }
        onChange={v => set('theme', v)}
      />
    </FilterToolbar>
  );
}
