import { ReactNode } from 'react';
import { Box } from '@material-ui/core';
import { ToggleButton, ToggleButtonGroup } from '@material-ui/lab';
import { useFocusRing } from '@internal/suite-react';

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

/** An exclusive toggle group; each choice is a button named by its `label`. */
export function ChoiceToggle<T extends string>(props: {
  label: string;
  value: T;
  choices: readonly { value: T; text: string; label: string }[];
  onChange: (value: T) => void;
}) {
  const { label, value, choices, onChange } = props;
  const focusRing = useFocusRing();
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={value}
      onChange={(_, v) => v && onChange(v)}
      aria-label={label}
    >
      {choices.map(c => (
        <ToggleButton
          key={c.value}
          value={c.value}
          aria-label={c.label}
          focusVisibleClassName={focusRing}
        >
          {c.text}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
