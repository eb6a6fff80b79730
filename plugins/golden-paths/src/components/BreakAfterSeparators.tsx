import { Fragment } from 'react';

/**
 * A ref that may wrap after its `:`, `/`, `@` and `#` (`user:` `development/` `guest`; a step's
 * effect `file:` `/repos/` `cart-api.git@` `3f78…`): in a whole-word cell it is otherwise one
 * word, which holds its column wider than its least width.
 */
export function BreakAfterSeparators(props: { text: string }) {
  return (
    <>
      {props.text.split(/(?<=[:/@#])/).map((part, i) => (
        <Fragment key={i}>
          {i > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </>
  );
}
