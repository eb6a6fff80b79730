import { splitCodeSpans } from '@internal/plugin-incident-brief-common';

/**
 * Text whose code spans are code, as the brief's missing-evidence messages and fixes are written
 * for both the markdown export and the page: on the page the spans become `<code>` instead of
 * showing their backticks. The spans are read as the markdown reads them (CommonMark: a fence of
 * equal length closes), because a name with a backtick in it is fenced by a longer run
 * (`` a`b ``); an unmatched run is kept as text.
 */
export function InlineCodeText(props: { text: string }) {
  return (
    <>
      {splitCodeSpans(props.text).map((part, i) =>
        part.code ? <code key={i}>{part.text}</code> : part.text,
      )}
    </>
  );
}
