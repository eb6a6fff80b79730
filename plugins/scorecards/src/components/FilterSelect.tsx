import FormControl from '@material-ui/core/FormControl';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';

/**
 * An outlined, labelled filter select of the scorecards pages' toolbars: the label is tied to the
 * select (`labelId`), so the select's accessible name is the label and its value.
 */
export function FilterSelect<T extends string>(props: {
  /** Unique on the page; the label's id. */
  id: string;
  label: string;
  value: T;
  options: readonly T[];
  optionLabel?: (option: T) => string;
  onChange: (value: T) => void;
}) {
  const { id, label, value, options, optionLabel = o => o, onChange } = props;
  return (
    <FormControl variant="outlined" size="small">
      <InputLabel id={id}>{label}</InputLabel>
      <Select
        labelId={id}
        // MUI names the select by these ids only when its display has one: "Level Any level"
        SelectDisplayProps={{ id: `${id}-value` } as object}
        label={label}
        value={value}
        onChange={e => onChange(e.target.value as T)}
      >
        {options.map(o => (
          <MenuItem key={o} value={o}>
            {optionLabel(o)}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}
