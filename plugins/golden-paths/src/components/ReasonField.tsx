import TextField from '@material-ui/core/TextField';
import { MIN_REASON } from './reason';

/**
 * The reason an operator gives for a recorded action (a decision, a compensation, a repair, a
 * kill switch): required, at least {@link MIN_REASON} characters, at most the 4,000 the backend
 * takes. Until the dialog finds an error the helper text says where the reason goes; the error,
 * once shown, is announced (`role="alert"`).
 */
export function ReasonField(props: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  /** the dialog's error for the field (`reasonError`), shown instead of the hint */
  error?: string;
  /** where the reason is recorded: "recorded in the audit trail (critical)." */
  recordedWhere: string;
  minRows?: number;
}) {
  const { id, value, onChange, error, recordedWhere, minRows = 2 } = props;
  return (
    <TextField
      id={id}
      label="Reason"
      required
      fullWidth
      multiline
      minRows={minRows}
      margin="normal"
      variant="outlined"
      value={value}
      onChange={e => onChange(e.target.value)}
      error={!!error}
      helperText={
        error ?? `At least ${MIN_REASON} characters; ${recordedWhere}`
      }
      FormHelperTextProps={error ? { role: 'alert' } : {}}
      inputProps={{ maxLength: 4000 }}
    />
  );
}
