import { ReactNode } from 'react';
import {
  Box,
  FormControl,
  InputLabel,
  MenuItem,
  Select,
} from '@material-ui/core';
import { ToggleButton, ToggleButtonGroup } from '@material-ui/lab';

/** The row of query controls above a card's content. */
export function CardControls(props: { children: ReactNode }) {
  return (
    <Box
      display="flex"
      flexWrap="wrap"
      alignItems="center"
      mb={2}
      style={{ gap: 16 }}
    >
      {props.children}
    </Box>
  );
}

/** A small labelled select (`id` makes the label's id unique on the page). */
export function ChoiceSelect<T extends string | number>(props: {
  id: string;
  label: string;
  value: T;
  choices: readonly T[];
  onChange: (value: T) => void;
}) {
  const { id, label, value, choices, onChange } = props;
  return (
    <FormControl size="small" style={{ minWidth: 90 }}>
      <InputLabel id={id}>{label}</InputLabel>
      <Select
        labelId={id}
        // MUI names the select by label and value only when its display has an id
        SelectDisplayProps={{ id: `${id}-value` } as object}
        value={value}
        onChange={e =>
          onChange(choices.find(c => String(c) === String(e.target.value))!)
        }
      >
        {choices.map(c => (
          <MenuItem key={c} value={c}>
            {c}
          </MenuItem>
        ))}
      </Select>
    </FormControl>
  );
}

/** An exclusive toggle group; each choice is a button named by its `label`. */
export function ChoiceToggle<T extends string>(props: {
  label: string;
  value: T;
  choices: readonly { value: T; text: string; label: string }[];
  onChange: (value: T) => void;
}) {
  const { label, value, choices, onChange } = props;
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={value}
      onChange={(_, v) => v && onChange(v)}
      aria-label={label}
    >
      {choices.map(c => (
        <ToggleButton key={c.value} value={c.value} aria-label={c.label}>
          {c.text}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
