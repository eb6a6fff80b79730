// The colours the incident-brief cards put text in. Each is at least 4.5:1 against white, both as
// text and as a background under white text (WCAG AA): MUI's warning orange #ed6c02 is 3.1:1,
// hence the darker `caution`.
export const AA_COLOR = {
  good: '#2e7d32',
  caution: '#b45309',
  bad: '#c62828',
  severe: '#7b1fa2',
  neutral: '#616161',
} as const;

/** A highlighted chip: dark orange text on pale orange (6.2:1). */
export const HIGHLIGHT_CHIP_STYLE = {
  backgroundColor: '#fff3e0',
  color: '#8a4b00',
} as const;
