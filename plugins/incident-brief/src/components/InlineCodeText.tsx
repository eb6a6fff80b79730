/**
 * Text whose `backticked` parts are code, as the brief's fix sentences are written for both the
 * markdown export and the page: on the page the backticks become `<code>` instead of showing.
 * An unmatched backtick is kept as text.
 */
export function InlineCodeText(props: { text: string }) {
  const parts = props.text.split('`');
  if (parts.length % 2 === 0) return <>{props.text}</>;
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? <code key={i}>{part}</code> : part,
      )}
    </>
  );
}
