import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';

/**
 * A select tied to its visible label, for the filters and controls of cards and pages. MUI v4
 * names a select by `labelId` only when its display element has an id as well; with both, a
 * screen reader (and axe) reads "Level Any level" instead of an unnamed button.
 */
export function LabelledSelect<T extends string | number>(props: {
  /** Unique on the page: the label's id; the display's is `${id}-value`. */
  id: string;
  label: string;
  value: T;
  options: readonly T[];
  optionLabel?: (option: T) => string;
  onChange: (value: T) => void;
  /** `outlined` (default) for toolbars; `standard` inside a card's header. */
  variant?: 'outlined' | 'standard';
  minWidth?: number;
}) {
  const {
    id,
    label,
    value,
    options,
    optionLabel = String,
    onChange,
    variant = 'outlined',
    minWidth,
  } = props;
  // An empty value that is one of the options is a choice with a name ("Any kind"): it is shown,
  // with the label above it. MUI leaves an empty value blank with the label inside the box,
  // where the arrow of a narrow select covered it ("Kin▾d").
  const emptyChoice = value === '' && options.includes(value);
  return (
    <FormControl
      variant={variant}
      size="small"
      style={minWidth ? { minWidth } : undefined}
    >
      {/* One line: a label wider than a narrow select wrapped down over its value. */}
      <InputLabel
        id={id}
        shrink={emptyChoice || undefined}
        style={{ whiteSpace: 'nowrap' }}
      >
        {label}
      </InputLabel>
      <Select
        labelId={id}
        displayEmpty={emptyChoice}
        // the outlined border leaves its gap for the label that now sits above
        {...(emptyChoice && variant === 'outlined' ? { notched: true } : {})}
        SelectDisplayProps={{ id: `${id}-value` } as object}
        label={variant === 'outlined' ? label : undefined}
        value={value}
        // MUI hands back the option's value as given; find keeps numbers numbers
        onChange={e => {
          const chosen = options.find(
            o => String(o) === String(e.target.value),
          );
          if (chosen !== undefined) onChange(chosen);
        }}
      >
        {options.map(o => (
          <MenuItem key={String(o)} value={o}>
            {optionLabel(o)}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}
