import type { ReactNode } from 'react';
import { Link } from '@backstage/core-components';
import { httpHref } from '@internal/suite-react';

/**
 * A link whose target comes from data other people write (entity links, the on-call provider,
 * ledger records posted by CI): a link only to an absolute http(s) URL. Anything else is text —
 * Backstage's `Link` throws on a `javascript:` URL, which would replace the whole card with an
 * error panel, and a relative path would resolve against the portal. With `showRefused` the
 * refused value follows the text, marked, so the responder still sees what the entity declares.
 */
export function DataLink(props: {
  url: string;
  children: ReactNode;
  showRefused?: boolean;
}) {
  const { url, children, showRefused = false } = props;
  const href = httpHref(url);
  if (href) {
    return (
      <Link underline="always" to={href}>
        {children}
      </Link>
    );
  }
  return (
    <span style={{ overflowWrap: 'anywhere' }}>
      {children}
      {showRefused && ` (${url}, not a web link)`}
    </span>
  );
}
